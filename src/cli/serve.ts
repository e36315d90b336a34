import { resolve } from 'node:path';
import type { Server } from 'node:http';
import { createApi, type CreateApiOptions } from '../api';
import { SpectrometerError } from '../errors';

const USAGE =
  'usage: spectrometer serve <spec> [--handlers <module>] [--mock] [--port 8080] [--host 127.0.0.1]';

interface ServeArgs {
  spec: string;
  handlers?: string;
  mock: boolean;
  port: number;
  host: string;
}

/**
 * `spectrometer serve <spec>`: boots the API, prints where it and `/metrics` are, and stops
 * cleanly on SIGINT/SIGTERM. Without `--handlers` every operation answers 501 (or its examples
 * with `--mock`); with it, operations without a handler are a boot error unless `--mock`.
 * @example
 * await serve(['specs/petstore.yaml', '--mock', '--port', '0'])
 */
export async function serve(argv: string[]): Promise<number> {
  const args = parseServeArgs(argv);
  const module = args.handlers ? loadHandlerModule(args.handlers) : {};
  const api = await createApi({
    ...module,
    spec: args.spec,
    missingHandler: args.mock ? 'mock' : args.handlers ? 'error' : 'not-implemented',
  });
  const server = await api.listen(args.port, args.host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : args.port;
  const origin = `http://${args.host.includes(':') ? `[${args.host}]` : args.host}:${port}`;
  console.log(`spectrometer: ${api.document.info.title} on ${origin}${api.basePath || '/'}`);
  console.log(`spectrometer: metrics on ${origin}/metrics`);
  return waitForSignal(server);
}

function parseServeArgs(argv: string[]): ServeArgs {
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
    else if (arg === '--workers') usage('--workers (cluster mode) is not available yet');
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else if (args.spec) usage(`unexpected argument ${arg}`);
    else args.spec = arg;
  }
  if (!args.spec) usage('the spec is missing');
  return {
    spec: args.spec,
    handlers: args.handlers,
    mock: args.mock,
    port: args.port ?? 8080,
    host: args.host ?? '127.0.0.1',
  };
}

function toPort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    usage(`--port must be 0-65535, got ${text}`);
  return port;
}

type HandlerModule = Pick<CreateApiOptions, 'handlers' | 'security' | 'labelFunctions'>;

/** A module exporting `{ handlers, security?, labelFunctions? }`, or handlers by operationId. */
function loadHandlerModule(path: string): HandlerModule {
   
  const loaded = require(resolve(path)) as Record<string, unknown>;
  const exported = (loaded.default ?? loaded) as Record<string, unknown>;
  if (exported.handlers && typeof exported.handlers === 'object') return exported as HandlerModule;
  return { handlers: exported as HandlerModule['handlers'] };
}

function waitForSignal(server: Server): Promise<number> {
  return new Promise((resolveExit) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      console.log(`spectrometer: ${signal}, stopping`);
      server.close(() => resolveExit(0));
      server.closeIdleConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function usage(message: string): never {
  throw new SpectrometerError('SPM_CLI_USAGE', `serve: ${message}\n${USAGE}`);
}
