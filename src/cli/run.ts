import { SpectrometerError } from '../errors';

/** A CLI command: gets its arguments, returns the exit code. */
export type Command = (args: string[]) => Promise<number>;

const USAGE = `usage:
  spectrometer serve <spec> [--handlers <module>] [--port 8080] [--host 127.0.0.1] [--mock] [--workers N]
  spectrometer lint <spec>
  spectrometer metrics <spec> [--json]`;

// Commands are loaded on demand so `lint` never pays for Express.
const COMMANDS: Record<string, () => Command> = {
  serve: () => require('./serve').serve,
  lint: () => require('./lint').lint,
  metrics: () => require('./metrics').metrics,
};

/** Runs the command line and resolves to the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    throw new SpectrometerError('SPM_CLI_USAGE', `unknown command "${name}"\n${USAGE}`);
  }
  return load()(args);
}
