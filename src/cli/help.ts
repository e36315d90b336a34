import { DEFAULT_HANDLER_TIMEOUT_MS } from '../api/boot/api-options';
import { DEFAULT_HOST, DEFAULT_PORT } from './serve-defaults';

/** One option of a command, as `--help` lists it. */
export interface HelpOption {
  /** `--name`, `--name <value>` or `-n, --name <value>`: the command line parser reads it too. */
  flag: string;
  text: string;
  /** What applies when the option is not given; none for `--help` itself. */
  default?: string;
}

interface CommandHelp {
  usage: string;
  summary: string;
  options: readonly HelpOption[];
}

const HELP_OPTION: HelpOption = { flag: '-h, --help', text: 'print this help' };
const ALLOW_EXTERNAL_REFS: HelpOption = {
  flag: '--allow-external-refs',
  text: "file $refs may leave the spec's folder",
  default: "off (they must stay inside the spec's folder tree)",
};

// The options of each command, with what applies without them; keep in step with the parsers.
const COMMANDS: Record<string, CommandHelp> = {
  serve: {
    usage: 'spectrometer serve <spec> [options]',
    summary: 'Boots the API that <spec> describes, metrics on /metrics; stops on SIGINT/SIGTERM.',
    options: [
      {
        flag: '--handlers <module>',
        text: 'module exporting { handlers, security?, labelFunctions? }',
        default: 'none (every operation answers 501, or from the spec with --mock)',
      },
      {
        flag: '-m, --mock',
        text: "operations without a handler answer from the spec's examples",
        default: 'off (with --handlers, an operation without a handler is a boot error)',
      },
      {
        flag: '-p, --port <port>',
        text: 'port to listen on (0: any free port)',
        default: `${DEFAULT_PORT}`,
      },
      { flag: '-H, --host <host>', text: 'interface to listen on', default: DEFAULT_HOST },
      {
        flag: '-w, --workers <N>',
        text: 'cluster mode: N worker processes share the port; /metrics sums them',
        default: 'one process, no cluster',
      },
      {
        flag: '--handler-timeout <ms>',
        text: 'a handler that has not answered by then gets a 503 problem (0: no limit)',
        default: `${DEFAULT_HANDLER_TIMEOUT_MS}`,
      },
      {
        flag: '--metrics-token-env <NAME>',
        text: '/metrics requires Authorization: Bearer <the value of $NAME>',
        default: 'none (/metrics is open to whoever reaches the port)',
      },
      {
        flag: '--no-docs',
        text: 'do not serve <basePath>/openapi.json and <basePath>/docs (Swagger UI)',
        default: 'both served, neither counted in metrics',
      },
      ALLOW_EXTERNAL_REFS,
      HELP_OPTION,
    ],
  },
  lint: {
    usage: 'spectrometer lint <spec> [options]',
    summary:
      'Checks the spec, its x-metrics and x-slo: every problem with its JSON pointer and a fix (exit 1).',
    options: [
      {
        flag: '--strict',
        text: 'derived operationIds (operations without one) and x-metrics labels taken raw from the client are errors',
        default: 'off (warnings are printed and do not fail the lint)',
      },
      {
        flag: '--json',
        text: 'print one JSON object: ok, counts, problems and warnings with their pointers',
        default: 'lines for a terminal',
      },
      ALLOW_EXTERNAL_REFS,
      HELP_OPTION,
    ],
  },
  metrics: {
    usage: 'spectrometer metrics <spec> [options]',
    summary: 'Lists every metric the spec exports, defaults included (type, labels, operations).',
    options: [
      { flag: '--json', text: 'print JSON, with help, origin and declaredAt', default: 'a table' },
      HELP_OPTION,
    ],
  },
  rules: {
    usage: 'spectrometer rules <spec> [options]',
    summary:
      "Writes the Prometheus rule file for the spec's x-slo: error and slow ratios, SLOErrorBudgetBurn alerts.",
    options: [
      { flag: '-o, --output <file>', text: 'write the rules into <file>', default: 'stdout' },
      ALLOW_EXTERNAL_REFS,
      HELP_OPTION,
    ],
  },
  dashboard: {
    usage: 'spectrometer dashboard <spec> [options]',
    summary:
      'Writes a Grafana dashboard (JSON) for the spec: requests, errors and latency by operation, SLOs, x-metrics.',
    options: [
      { flag: '-o, --output <file>', text: 'write the dashboard into <file>', default: 'stdout' },
      ALLOW_EXTERNAL_REFS,
      HELP_OPTION,
    ],
  },
  types: {
    usage: 'spectrometer types <spec> [options]',
    summary:
      'Writes TypeScript types for the spec (openapi-typescript) and Operations, for createApi<Operations>().',
    options: [
      {
        flag: '-o, --output <file>',
        text: 'write the types into <file> (a .ts file)',
        default: 'stdout',
      },
      ALLOW_EXTERNAL_REFS,
      HELP_OPTION,
    ],
  },
};

/** The top-level usage: one line per command. */
export const USAGE = `usage:
  spectrometer serve <spec> [--handlers <module>] [--mock] [--port ${DEFAULT_PORT}] [--host ${DEFAULT_HOST}] [--workers N] [--allow-external-refs]
                     [--handler-timeout ms] [--metrics-token-env NAME] [--no-docs]
  spectrometer lint <spec> [--strict] [--json] [--allow-external-refs]
  spectrometer metrics <spec> [--json]
  spectrometer rules <spec> [-o file] [--allow-external-refs]
  spectrometer dashboard <spec> [-o file] [--allow-external-refs]
  spectrometer types <spec> [-o file.ts] [--allow-external-refs]
  spectrometer <command> --help     a command's options and their defaults
  spectrometer --version`;

/**
 * The options of a command as its `--help` lists them (the command line parser reads them too),
 * or undefined for an unknown command.
 * @example
 * optionsOf('serve')?.map((option) => option.flag) // ['--handlers <module>', '-m, --mock', …]
 */
export function optionsOf(command: string): readonly HelpOption[] | undefined {
  return Object.hasOwn(COMMANDS, command) ? COMMANDS[command]?.options : undefined;
}

/**
 * The one-line usage a command prints after a usage error: its options in long form.
 * @example
 * formatUsage('lint') // 'usage: spectrometer lint <spec> [--strict] [--json] [--allow-external-refs] [--help]'
 */
export function formatUsage(command: string): string {
  const help = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!help) return USAGE;
  const options = help.options.map((option) => `[${option.flag.replace(/^-\w, /, '')}]`);
  return `usage: ${help.usage.replace(' [options]', '')} ${options.join(' ')}`;
}

/**
 * What `spectrometer <command> --help` prints, or undefined for a command without one.
 * @example
 * formatHelp('lint') // 'usage: spectrometer lint <spec> [options]\n…'
 */
export function formatHelp(command: string): string | undefined {
  const help = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!help) return undefined;
  const width = Math.max(...help.options.map((option) => option.flag.length));
  const indent = ' '.repeat(width + 4);
  const lines = help.options.flatMap((option) => [
    `  ${option.flag.padEnd(width)}  ${option.text}`,
    ...(option.default ? [`${indent}default: ${option.default}`] : []),
  ]);
  return [`usage: ${help.usage}`, '', help.summary, '', 'options:', ...lines].join('\n');
}
