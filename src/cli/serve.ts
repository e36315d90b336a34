import cluster, { type Worker } from 'node:cluster';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Server } from 'node:http';
import { createApi, type Api, type CreateApiOptions } from '../api';
import { SpectrometerError } from '../errors';
import { ClusterAggregator, shareWorkerMetrics } from '../metrics/cluster';

const USAGE =
  'usage: spectrometer serve <spec> [--handlers <module>] [--mock] [--port 8080] [--host 127.0.0.1] [--workers N]';

// A stopping worker that has not exited after this long is killed.
const STOP_TIMEOUT_MS = 10_000;
const READY = 'spectrometer:serve:ready';

interface ServeArgs {
  spec: string;
  handlers?: string;
  mock: boolean;
  port: number;
  host: string;
  /** Cluster mode with this many workers. */
  workers?: number;
}

/** What a worker tells the primary once it listens. */
interface ReadyMessage {
  type: typeof READY;
  title: string;
  basePath: string;
  port: number;
}

/**
 * `spectrometer serve <spec>`: boots the API, prints where it and `/metrics` are, and stops
 * cleanly on SIGINT/SIGTERM. Without `--handlers` every operation answers 501 (or its examples
 * with `--mock`); with it, operations without a handler are a boot error unless `--mock`.
 * `--workers N` forks N cluster workers sharing the port; `/metrics` on any of them answers the
 * aggregate of all workers.
 * @example
 * await serve(['specs/petstore.yaml', '--mock', '--port', '0'])
 */
export async function serve(argv: string[]): Promise<number> {
  const args = parseServeArgs(argv);
  if (args.workers === undefined) return serveOne(args);
  return cluster.isWorker ? serveWorker(args) : servePrimary(args, argv);
}

async function serveOne(args: ServeArgs): Promise<number> {
  const api = await bootApi(args);
  const server = await api.listen(args.port, args.host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : args.port;
  const origin = originOf(args.host, port);
  console.log(`spectrometer: ${api.document.info.title} on ${origin}${api.basePath || '/'}`);
  console.log(`spectrometer: metrics on ${origin}/metrics`);
  await waitForSignal((signal) => console.log(`spectrometer: ${signal}, stopping`));
  await closeServer(server);
  return 0;
}

async function bootApi(args: ServeArgs): Promise<Api> {
  const module = args.handlers ? loadHandlerModule(args.handlers) : {};
  try {
    return await createApi({
      ...module,
      spec: args.spec,
      missingHandler: args.mock ? 'mock' : args.handlers ? 'error' : 'not-implemented',
    });
  } catch (error) {
    if (error instanceof SpectrometerError) addModuleHint(error, args.handlers);
    throw error;
  }
}

/**
 * createApi's hints say what to pass to createApi; on the command line, security handlers and
 * label functions come from the --handlers module, so say how to export them there.
 */
function addModuleHint(error: SpectrometerError, handlers: string | undefined): void {
  const named = (pattern: RegExp) =>
    error.problems.flatMap((problem) => pattern.exec(problem.message)?.[1] ?? []);
  const security = named(/^security scheme "([^"]+)" has no handler/);
  const labelFunctions = named(/names the label function "([^"]+)", which labelFunctions/);
  if (!security.length && !labelFunctions.length) return;
  const exports = [
    'handlers',
    security.length ? `security: { ${[...new Set(security)].join(', ')} }` : '',
    labelFunctions.length ? `labelFunctions: { ${[...new Set(labelFunctions)].join(', ')} }` : '',
  ].filter(Boolean);
  const module = handlers ? `the --handlers module (${handlers})` : 'a module given as --handlers';
  error.message += `\nserve: export them from ${module}: module.exports = { ${exports.join(', ')} }`;
}

/** A cluster worker: the API on the shared port, its metrics shared with the primary. */
async function serveWorker(args: ServeArgs): Promise<number> {
  const worker = cluster.worker as Worker;
  let server: Server;
  try {
    const api = await bootApi(args);
    shareWorkerMetrics(api.metrics);
    server = await api.listen(args.port, args.host);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : args.port;
    const title = api.document.info.title;
    const ready: ReadyMessage = { type: READY, title, basePath: api.basePath, port };
    process.send?.(ready);
  } catch (error) {
    worker.disconnect(); // lets this worker exit; the primary reports the boot failure
    throw error;
  }
  await Promise.race([waitForSignal(), new Promise((done) => worker.once('disconnect', done))]);
  await closeServer(server);
  if (worker.isConnected()) worker.disconnect();
  return 0;
}

/** The cluster primary: forks the workers, keeps their number, stops them all on a signal. */
async function servePrimary(args: ServeArgs, argv: string[]): Promise<number> {
  const cli = join(__dirname, '..', 'cli.js');
  if (!existsSync(cli)) {
    throw new SpectrometerError(
      'SPM_CLUSTER',
      `serve --workers forks ${cli}, which does not exist: run the built CLI (npm run build)`,
    );
  }
  cluster.setupPrimary({ exec: cli, args: ['serve', ...argv] });
  const aggregator = new ClusterAggregator();
  const workers = args.workers as number;
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    await Promise.all(Object.values(cluster.workers ?? {}).map((w) => w && stopWorker(w)));
    await aggregator.close();
  };
  let ready: ReadyMessage;
  try {
    // One worker first: a spec or handler error is then printed once, not by every worker.
    ready = await startWorker();
    await Promise.all(Array.from({ length: workers - 1 }, startWorker));
  } catch (error) {
    await stopAll();
    throw error;
  }
  const origin = originOf(args.host, ready.port);
  console.log(
    `spectrometer: ${ready.title} on ${origin}${ready.basePath || '/'} (${workers} workers)`,
  );
  console.log(`spectrometer: metrics on ${origin}/metrics (every worker answers for all workers)`);
  cluster.on('exit', (worker, code, signal) => {
    if (stopping || !(worker as ServeWorker).isReady) return;
    console.log(
      `spectrometer: worker ${worker.process.pid} exited (${signal ?? code}), starting another`,
    );
    startWorker().catch((error: Error) => console.error(`spectrometer: ${error.message}`));
  });
  await waitForSignal((signal) =>
    console.log(
      `spectrometer: ${signal}, stopping ${Object.keys(cluster.workers ?? {}).length} workers`,
    ),
  );
  await stopAll();
  return 0;
}

type ServeWorker = Worker & { isReady?: boolean };

/** Forks a worker and resolves when it listens; rejects when it exits before. */
function startWorker(): Promise<ReadyMessage> {
  const worker: ServeWorker = cluster.fork();
  return new Promise((resolveReady, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(
        new SpectrometerError(
          'SPM_CLUSTER',
          `serve: worker ${worker.process.pid} exited (${signal ?? code}) before it listened`,
        ),
      );
    worker.once('exit', onExit);
    worker.on('message', (message: Partial<ReadyMessage>) => {
      if (message?.type !== READY) return;
      worker.isReady = true;
      worker.off('exit', onExit);
      resolveReady(message as ReadyMessage);
    });
  });
}

/** SIGTERM, then SIGKILL if the worker is still there after STOP_TIMEOUT_MS. */
function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
    worker.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    worker.process.kill('SIGTERM');
  });
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
    else if (arg === '--workers') args.workers = toWorkers(value());
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
    workers: args.workers,
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

function originOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

type SecurityHandlers = CreateApiOptions['security'];
type HandlerModule = Pick<CreateApiOptions, 'handlers' | 'security' | 'labelFunctions'>;

/**
 * A module exporting `{ handlers, security?, labelFunctions? }`, or its handlers by operationId
 * at the top level, beside optional `security` and `labelFunctions` objects (a handler is a
 * function, so an object under one of those names cannot be one).
 */
function loadHandlerModule(path: string): HandlerModule {
  const loaded = require(resolve(path)) as Record<string, unknown>;
  const exported = (loaded.default ?? loaded) as Record<string, unknown>;
  const isObject = (value: unknown) => typeof value === 'object' && value !== null;
  if (isObject(exported.handlers)) {
    const { handlers, security, labelFunctions } = exported as HandlerModule;
    return { handlers, security, labelFunctions };
  }
  const module: HandlerModule = {};
  const handlers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(exported)) {
    if (name === 'security' && isObject(value)) module.security = value as SecurityHandlers;
    else if (name === 'labelFunctions' && isObject(value)) {
      module.labelFunctions = value as HandlerModule['labelFunctions'];
    } else handlers[name] = value;
  }
  return { ...module, handlers: handlers as HandlerModule['handlers'] };
}

/** Resolves on the first SIGINT or SIGTERM. */
function waitForSignal(onSignal?: (signal: NodeJS.Signals) => void): Promise<void> {
  return new Promise((resolveStop) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      onSignal?.(signal);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeIdleConnections();
  });
}

function usage(message: string): never {
  throw new SpectrometerError('SPM_CLI_USAGE', `serve: ${message}\n${USAGE}`);
}
