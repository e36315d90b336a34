import { SpectrometerError } from '../errors';
import { VERSION } from '../version';
import { formatHelp, USAGE } from './help';

/** A CLI command: gets its arguments, returns the exit code. */
export type Command = (args: string[]) => Promise<number>;

// Commands are loaded on demand so `lint` never pays for Express.
const COMMANDS: Record<string, () => Command> = {
  serve: () => require('./serve').serve,
  lint: () => require('./lint').lint,
  metrics: () => require('./metrics').metrics,
  rules: () => require('./rules').rules,
  dashboard: () => require('./dashboard').dashboard,
  types: () => require('./types').types,
};

/** Runs the command line and resolves to the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    console.log(VERSION);
    return 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    throw new SpectrometerError('SPM_CLI_USAGE', `unknown command "${name}"\n${USAGE}`);
  }
  const help = args.includes('--help') || args.includes('-h') ? formatHelp(name) : undefined;
  if (help) {
    console.log(help);
    return 0;
  }
  return load()(args);
}
