import cluster, { type Worker } from 'node:cluster';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { SpectrometerError } from '../errors';
import { ClusterAggregator, shareWorkerMetrics } from '../metrics/cluster';
import { bootApi } from './boot-api';
import type { ServeArgs } from './serve-args';
import { closeServer, originOf, waitForSignal } from './server-lifecycle';
import { listenWithTimeouts } from './server-timeouts';

// A stopping worker that has not exited after this long is killed.
const STOP_TIMEOUT_MS = 10_000;
const READY = 'spectrometer:serve:ready';

/** What a worker tells the primary once it listens. */
interface ReadyMessage {
  type: typeof READY;
  title: string;
  basePath: string;
  port: number;
  /** The boot warnings, printed once by the primary instead of once per worker. */
  warnings: string[];
}

/** A cluster worker: the API on the shared port, its metrics shared with the primary. */
export async function serveWorker(args: ServeArgs): Promise<number> {
  const worker = cluster.worker as Worker;
  let server: Server;
  try {
    const warnings: string[] = [];
    const api = await bootApi(args, { warn: (line) => void warnings.push(line) });
    shareWorkerMetrics(api.metrics);
    server = await listenWithTimeouts(api.app, args.port, args.host);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : args.port;
    const title = api.document.info.title;
    const ready: ReadyMessage = { type: READY, title, basePath: api.basePath, port, warnings };
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
export async function servePrimary(args: ServeArgs, argv: string[]): Promise<number> {
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
    for (const line of ready.warnings ?? []) console.warn(line);
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
  if (args.docs !== false) console.log(`spectrometer: docs on ${origin}${ready.basePath}/docs`);
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
