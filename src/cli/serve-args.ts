import { DEFAULT_HANDLER_TIMEOUT_MS, MAX_TIMEOUT_MS } from '../api/boot/api-options';
import { SpectrometerError } from '../errors';
import { parseCommandLine } from './command-args';
import { formatUsage } from './help';
import { DEFAULT_HOST, DEFAULT_PORT } from './serve-defaults';

export { DEFAULT_HOST, DEFAULT_PORT };

/** The options of `spectrometer serve`. */
export interface ServeArgs {
  spec: string;
  handlers?: string;
  mock: boolean;
  port: number;
  host: string;
  /** Cluster mode with this many workers. */
  workers?: number;
  /** Let file `$ref`s leave the spec's folder tree. @default false */
  allowExternalRefs?: boolean;
  /** createApi's `handlerTimeoutMs` (`0`: no limit). @default 30000 */
  handlerTimeoutMs?: number;
  /** The environment variable holding the bearer token `/metrics` requires. @default none */
  metricsTokenEnv?: string;
  /** Serve `/openapi.json` and `/docs` (Swagger UI); `--no-docs` turns them off. @default true */
  docs?: boolean;
}

/**
 * Parses `serve`'s command line (`--port 9000`, `--port=9000`, `-p 9000`); mistakes are
 * SPM_CLI_USAGE errors that carry the usage line.
 * @example
 * parseServeArgs(['specs/petstore.yaml', '--port', '0']).port // 0
 */
export function parseServeArgs(argv: string[]): ServeArgs {
  const { spec, options } = parseCommandLine('serve', argv);
  const text = (name: string): string | undefined => options[name] as string | undefined;
  const port = text('port');
  const workers = text('workers');
  const timeout = text('handler-timeout');
  const tokenEnv = text('metrics-token-env');
  return {
    spec,
    handlers: text('handlers'),
    mock: options.mock === true,
    port: port === undefined ? DEFAULT_PORT : toPort(port),
    host: text('host') ?? DEFAULT_HOST,
    workers: workers === undefined ? undefined : toWorkers(workers),
    allowExternalRefs: options['allow-external-refs'] === true,
    handlerTimeoutMs: timeout === undefined ? DEFAULT_HANDLER_TIMEOUT_MS : toTimeout(timeout),
    metricsTokenEnv: tokenEnv === undefined ? undefined : toEnvName(tokenEnv),
    docs: options['no-docs'] !== true,
  };
}

function toPort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) usage(`--port must be 0-65535, got ${text}`);
  return port;
}

function toWorkers(text: string): number {
  const workers = Number(text);
  if (!/^\d+$/.test(text) || workers < 1 || workers > 1024)
    usage(`--workers must be a whole number from 1 to 1024, got ${text}`);
  return workers;
}

function toTimeout(text: string): number {
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms > MAX_TIMEOUT_MS)
    usage(
      `--handler-timeout must be milliseconds from 0 (no limit) to ${MAX_TIMEOUT_MS}, got ${text}`,
    );
  return ms;
}

function toEnvName(text: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text))
    // Never echoed: what was given may well be the token itself.
    usage(
      '--metrics-token-env takes the name of an environment variable (METRICS_TOKEN), not a token',
    );
  return text;
}

function usage(message: string): never {
  throw new SpectrometerError('SPM_CLI_USAGE', `serve: ${message}\n${formatUsage('serve')}`);
}
