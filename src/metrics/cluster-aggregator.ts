import cluster, { type Worker } from 'node:cluster';
import type { Server } from 'node:http';
import type { RequestHandler } from 'express';
import { SpectrometerError } from '../errors';
import { aggregateFamilies, workersFamily, type WorkerCounts } from './cluster-aggregate';
import { collectWorkers, listenToWorkers, type WorkerAnswer } from './cluster-collect';
import { isMessage, SCRAPE, SCRAPED, type Family, type ScrapeResponse } from './cluster-messages';
import { renderFamilies, type GenerateMetricsOptions, type RenderedMetrics } from './exposition';
import { startMetricsServer, type MetricsServerOptions } from './metrics-server';

/** How long each worker has to answer an aggregated scrape, in milliseconds. */
export const DEFAULT_CLUSTER_TIMEOUT_MS = 2000;

/** Options of a `ClusterAggregator`. */
export interface ClusterAggregatorOptions {
  /**
   * How long each worker has to answer a scrape, in milliseconds. Workers are asked in
   * parallel, so a scrape waits at most this long; late workers are left out and counted in
   * `spectrometer_cluster_workers{state="timed_out"}`.
   * @default 2000
   */
  timeoutMs?: number;
  /** Middleware run before the metrics endpoint of `startHttpServer`, e.g. authentication. */
  metricsMiddleware?: RequestHandler[];
}

/** One aggregated collection from every worker. */
export interface ClusterScrape {
  /** The aggregated metric families of every worker that responded. */
  families: Family[];
  /** Workers by how they answered. */
  workers: WorkerCounts;
  /** Each worker's answer, with the reason when it is missing. */
  answers: WorkerAnswer[];
}

// Aggregators of this primary; the oldest open one answers the workers' scrapes.
const open: ClusterAggregator[] = [];
let answeringWorkers = false;

/**
 * Runs in the cluster primary and aggregates the metrics of every worker (the Gunicorn
 * analog). Workers share their metrics with `shareWorkerMetrics(metrics)`; the aggregator then
 * serves the sum on its own port (`startHttpServer`) and answers workers whose own `/metrics`
 * serves the aggregate. A worker that hangs or dies never makes a scrape hang or fail.
 * @example
 * if (cluster.isPrimary) {
 *   const aggregator = new ClusterAggregator({ timeoutMs: 1000 });
 *   await aggregator.startHttpServer(9464, { host: '127.0.0.1' });
 *   for (let i = 0; i < 4; i++) cluster.fork();
 * }
 */
export class ClusterAggregator {
  /** How long each worker has to answer, in milliseconds. */
  readonly timeoutMs: number;
  readonly #middleware: RequestHandler[];
  readonly #servers = new Set<Server>();

  constructor(options: ClusterAggregatorOptions = {}) {
    if (cluster.isWorker) {
      throw new SpectrometerError(
        'SPM_CLUSTER',
        `ClusterAggregator runs in the cluster primary, not in worker ${cluster.worker?.id}; in workers call shareWorkerMetrics(metrics)`,
      );
    }
    this.timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_CLUSTER_TIMEOUT_MS);
    this.#middleware = options.metricsMiddleware ?? [];
    open.push(this);
    listenToWorkers();
    answerWorkerScrapes();
  }

  /**
   * Collects and aggregates the metrics of every live worker, within `timeoutMs`.
   * @example const { families, workers } = await aggregator.collect(); workers.timed_out
   */
  async collect(timeoutMs: number = this.timeoutMs): Promise<ClusterScrape> {
    const answers = await collectWorkers(checkTimeout(timeoutMs));
    const workers: WorkerCounts = { responded: 0, timed_out: 0, failed: 0 };
    for (const answer of answers) workers[answer.state]++;
    const families = await aggregateFamilies(answers.flatMap((answer) => answer.registries));
    return { families, workers, answers };
  }

  /**
   * Renders the aggregate of every worker, plus `spectrometer_cluster_workers{state}`, as
   * Prometheus text or OpenMetrics (by `accept`).
   * @example const { body, contentType } = await aggregator.generateMetrics({ accept: req.headers.accept })
   */
  async generateMetrics(
    options: GenerateMetricsOptions = {},
    timeoutMs: number = this.timeoutMs,
  ): Promise<RenderedMetrics> {
    const { families, workers } = await this.collect(timeoutMs);
    return renderFamilies([...families, workersFamily(workers)], options);
  }

  /**
   * Serves the aggregate on a port of the primary, at `path` (default `/metrics`).
   * @example await aggregator.startHttpServer(9464, { host: '127.0.0.1' })
   */
  async startHttpServer(port: number, options: MetricsServerOptions = {}): Promise<Server> {
    const server = await startMetricsServer(port, options, this.#middleware, (o) =>
      this.generateMetrics(o),
    );
    this.#servers.add(server);
    server.once('close', () => this.#servers.delete(server));
    return server;
  }

  /**
   * Stops answering workers and closes the servers this aggregator started.
   * @example await aggregator.close()
   */
  async close(): Promise<void> {
    const index = open.indexOf(this);
    if (index !== -1) open.splice(index, 1);
    await Promise.all([...this.#servers].map(closeServer));
  }
}

/**
 * Starts a `ClusterAggregator` serving the sum of every worker's metrics on `port` of the
 * primary; closing the server stops the aggregator.
 * @example await startClusterMetricsServer(9464, { host: '127.0.0.1', timeoutMs: 1000 })
 */
export async function startClusterMetricsServer(
  port: number,
  options: MetricsServerOptions & ClusterAggregatorOptions = {},
): Promise<Server> {
  const aggregator = new ClusterAggregator(options);
  try {
    const server = await aggregator.startHttpServer(port, options);
    server.once('close', () => void aggregator.close());
    return server;
  } catch (error) {
    await aggregator.close();
    throw error;
  }
}

function checkTimeout(timeoutMs: number): number {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new SpectrometerError(
      'SPM_INVALID_OPTION',
      `Cluster timeoutMs must be a positive number of milliseconds, got ${JSON.stringify(timeoutMs)}`,
    );
  }
  return timeoutMs;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

// A worker received a scrape and asks for the aggregate: render it with the worker's timeout.
function answerWorkerScrapes(): void {
  if (answeringWorkers) return;
  answeringWorkers = true;
  cluster.on('message', (worker: Worker, message: unknown) => {
    const aggregator = open[0];
    if (!aggregator || !isMessage(message, SCRAPE)) return;
    const { id, accept, names } = message;
    const timeoutMs = typeof message.timeoutMs === 'number' ? message.timeoutMs : undefined;
    aggregator.generateMetrics({ accept, names }, timeoutMs).then(
      ({ body, contentType }) => reply(worker, { type: SCRAPED, id, body, contentType }),
      (error: unknown) =>
        reply(worker, {
          type: SCRAPED,
          id,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
  });
}

function reply(worker: Worker, message: ScrapeResponse): void {
  if (!worker.isConnected()) return;
  try {
    worker.send(message);
  } catch {
    // The worker went away meanwhile; it has nobody left to answer.
  }
}
