import { parseArgs } from 'node:util';
import { SpectrometerError } from '../errors';
import { formatUsage, optionsOf } from './help';

/** A command line as a command sees it: its one `<spec>` and the options given. */
export interface CommandLine {
  spec: string;
  /** Options by long name (`port`, `allow-external-refs`): `true` for flags, else the value. */
  options: Record<string, string | true>;
}

/** One option as the parser knows it, read from the flag `--help` shows (`-p, --port <port>`). */
interface OptionShape {
  name: string;
  short?: string;
  takesValue: boolean;
}

/**
 * Parses a command's arguments with `util.parseArgs`, from the options its `--help` lists:
 * `--port 9000`, `--port=9000`, `-p 9000`, `-p9000`; `--` ends the options. The last of a
 * repeated option wins. Mistakes are SPM_CLI_USAGE errors: `<command>: <what>` and the usage.
 * @example
 * parseCommandLine('serve', ['specs/petstore.yaml', '--port=0']).options.port // '0'
 */
export function parseCommandLine(command: string, argv: readonly string[]): CommandLine {
  const shapes = (optionsOf(command) ?? []).map((option) => toShape(option.flag));
  const fail = (message: string): never => {
    throw new SpectrometerError('SPM_CLI_USAGE', `${command}: ${message}\n${formatUsage(command)}`);
  };
  // Not strict: a value starting with a dash (`--handler-timeout -1`) reaches the command's own
  // check, and mistakes are worded here, with the usage.
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      shapes.map((shape) => [
        shape.name,
        {
          type: shape.takesValue ? 'string' : 'boolean',
          ...(shape.short ? { short: shape.short } : {}),
        },
      ]),
    ),
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const options: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const shape = shapes.find((known) => known.name === token.name);
    if (!shape) fail(`unknown option ${token.rawName}`);
    else if (shape.takesValue && token.value === undefined) fail(`${token.rawName} needs a value`);
    else if (!shape.takesValue && token.value !== undefined)
      fail(`${token.rawName} takes no value`);
    else options[shape.name] = token.value ?? true;
  }
  if (positionals.length === 0) fail('the spec is missing');
  if (positionals.length > 1) fail(`unexpected argument ${positionals[1]}`);
  return { spec: positionals[0] as string, options };
}

/**
 * Like `parseCommandLine`, for commands that answer a usage error themselves: prints it on
 * stderr and returns undefined (the command exits 2).
 * @example
 * const line = readCommandLine('lint', args); if (!line) return 2;
 */
export function readCommandLine(command: string, argv: readonly string[]): CommandLine | undefined {
  try {
    return parseCommandLine(command, argv);
  } catch (error) {
    if (!(error instanceof SpectrometerError) || error.code !== 'SPM_CLI_USAGE') throw error;
    console.error(error.message);
    return undefined;
  }
}

function toShape(flag: string): OptionShape {
  const match = /^(?:-([A-Za-z]), )?--([a-z][a-z0-9-]*)( <[^>]+>)?$/.exec(flag);
  // The help texts are ours: a flag the parser cannot read is a mistake in help.ts.
  if (!match) throw new Error(`help.ts: cannot read the flag "${flag}"`);
  const [, short, name, value] = match;
  return { name: name as string, takesValue: !!value, ...(short ? { short } : {}) };
}
