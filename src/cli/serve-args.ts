import { DEFAULT_HANDLER_TIMEOUT_MS, MAX_TIMEOUT_MS } from '../api/boot/api-options';
import { SpectrometerError } from '../errors';

/** `serve --port` without the option. */
export const DEFAULT_PORT = 8080;
/** `serve --host` without the option: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';

export const SERVE_USAGE =
  'usage: spectrometer serve <spec> [--handlers <module>] [--mock] [--port 8080] [--host 127.0.0.1] [--workers N] [--allow-external-refs] [--handler-timeout ms] [--metrics-token-env NAME]';

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
}

/**
 * Parses `serve`'s command line; mistakes are SPM_CLI_USAGE errors that carry the usage line.
 * @example
 * parseServeArgs(['specs/petstore.yaml', '--port', '0']).port // 0
 */
export function parseServeArgs(argv: string[]): ServeArgs {
  const args: Partial<ServeArgs> & { mock: boolean } = { mock: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) usage(`${arg} needs a value`);
      return next;
    };
    if (arg === '--handlers') args.handlers = value();
    else if (arg === '--mock') args.mock = true;
    else if (arg === '--port') args.port = toPort(value());
    else if (arg === '--host') args.host = value();
    else if (arg === '--workers') args.workers = toWorkers(value());
    else if (arg === '--allow-external-refs') args.allowExternalRefs = true;
    else if (arg === '--handler-timeout') args.handlerTimeoutMs = toTimeout(value());
    else if (arg === '--metrics-token-env') args.metricsTokenEnv = toEnvName(value());
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else if (args.spec) usage(`unexpected argument ${arg}`);
    else args.spec = arg;
  }
  if (!args.spec) usage('the spec is missing');
  return {
    spec: args.spec,
    handlers: args.handlers,
    mock: args.mock,
    port: args.port ?? DEFAULT_PORT,
    host: args.host ?? DEFAULT_HOST,
    workers: args.workers,
    allowExternalRefs: args.allowExternalRefs ?? false,
    handlerTimeoutMs: args.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS,
    metricsTokenEnv: args.metricsTokenEnv,
  };
}

function toPort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    usage(`--port must be 0-65535, got ${text}`);
  return port;
}

function toWorkers(text: string): number {
  const workers = Number(text);
  if (!Number.isInteger(workers) || workers < 1 || workers > 1024)
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
  throw new SpectrometerError('SPM_CLI_USAGE', `serve: ${message}\n${SERVE_USAGE}`);
}
