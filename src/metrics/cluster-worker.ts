import cluster from 'node:cluster';
import type { Registry } from 'prom-client';
import { SpectrometerError } from '../errors';
import { DEFAULT_CLUSTER_TIMEOUT_MS } from './cluster-aggregator';
import {
  COLLECT,
  COLLECTED,
  isMessage,
  SCRAPE,
  SCRAPED,
  SHARING,
  toWire,
  WHO_SHARES,
  type CollectResponse,
  type Family,
  type ScrapeRequest,
  type ScrapeResponse,
  type SharingNotice,
} from './cluster-messages';
import { withExemplars } from './cluster-exemplars';
import { renderRegistry, type GenerateMetricsOptions, type RenderedMetrics } from './exposition';
import { useRenderer, type PrometheusMetrics } from './prometheus-metrics';

/** Options of `shareWorkerMetrics`. */
export interface ShareWorkerMetricsOptions {
  /**
   * Every scrape of this worker (its `/metrics`, side port, `generateMetrics`) answers the
   * aggregate of all workers, rendered by the primary's `ClusterAggregator`. `false` keeps this
   * worker's own metrics there (the primary's port then serves the sum).
   * @default true
   */
  aggregate?: boolean;
  /**
   * How long each worker has to answer this worker's aggregated scrapes, in milliseconds.
   * @default 2000
   */
  timeoutMs?: number;
  /** More registries of this worker to share, e.g. prom-client's global `register`. */
  registries?: Registry[];
}

/** A worker's shared metrics; `stop()` takes them back. */
export interface SharedWorkerMetrics {
  /** Stops sharing these registries and restores this worker's own scrapes. */
  stop(): void;
}

// The primary gives an aggregated scrape `timeoutMs`; the worker waits a little longer for it.
const PRIMARY_MARGIN_MS = 1000;

const shared: Registry[][] = [];
const scrapes = new Map<number, (message: ScrapeResponse) => void>();
let nextId = 1;

/**
 * Shares a worker's metrics with the cluster primary, where a `ClusterAggregator` sums them with
 * every other worker's. By default this worker's scrapes then answer that aggregate too.
 * @example
 * const api = await createApi({ spec, handlers });
 * shareWorkerMetrics(api.metrics);          // GET /metrics on any worker: the whole cluster
 * await api.listen(8080);
 */
export function shareWorkerMetrics(
  metrics: PrometheusMetrics,
  options: ShareWorkerMetricsOptions = {},
): SharedWorkerMetrics {
  if (!cluster.isWorker || typeof process.send !== 'function') {
    throw new SpectrometerError(
      'SPM_CLUSTER',
      'shareWorkerMetrics runs in a cluster worker (cluster.isWorker); in the primary use new ClusterAggregator()',
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLUSTER_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new SpectrometerError(
      'SPM_INVALID_OPTION',
      `shareWorkerMetrics timeoutMs must be a positive number of milliseconds, got ${JSON.stringify(timeoutMs)}`,
    );
  }
  const registries = [metrics.registry, ...(options.registries ?? [])];
  shared.push(registries);
  if (shared.length === 1) {
    process.on('message', onMessage);
    announce(true);
  }
  if (options.aggregate ?? true) useRenderer(metrics, (o) => scrapeCluster(o, timeoutMs));
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      shared.splice(shared.indexOf(registries), 1);
      if (shared.length === 0) {
        process.off('message', onMessage);
        announce(false);
      }
      if (options.aggregate ?? true)
        useRenderer(metrics, (o) => renderRegistry(metrics.registry, o));
    },
  };
}

function onMessage(message: unknown): void {
  if (isMessage(message, COLLECT)) void sendOwnMetrics(message.id);
  else if (isMessage(message, WHO_SHARES)) announce(true);
  else if (isMessage(message, SCRAPED)) scrapes.get(message.id)?.(message);
}

async function sendOwnMetrics(id: number): Promise<void> {
  const registries = [...new Set(shared.flat())];
  let answer: CollectResponse;
  try {
    const families = await Promise.all(
      registries.map(async (r) => withExemplars(r, (await r.getMetricsAsJSON()) as Family[])),
    );
    answer = { type: COLLECTED, id, registries: families.map((f) => toWire(f as Family[])) };
  } catch (error) {
    answer = { type: COLLECTED, id, error: error instanceof Error ? error.message : String(error) };
  }
  send(answer);
}

/** Asks the primary for the aggregate of every worker; bounded even when the primary is silent. */
function scrapeCluster(
  options: GenerateMetricsOptions,
  timeoutMs: number,
): Promise<RenderedMetrics> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      scrapes.delete(id);
      reject(
        new SpectrometerError(
          'SPM_CLUSTER',
          `The cluster primary did not answer a metrics scrape within ${timeoutMs + PRIMARY_MARGIN_MS} ms; does it run a ClusterAggregator?`,
        ),
      );
    }, timeoutMs + PRIMARY_MARGIN_MS);
    scrapes.set(id, (message) => {
      scrapes.delete(id);
      clearTimeout(timer);
      if (message.body !== undefined && message.contentType) {
        resolve({ body: message.body, contentType: message.contentType });
      } else {
        reject(
          new SpectrometerError('SPM_CLUSTER', message.error ?? 'empty answer from the primary'),
        );
      }
    });
    const request: ScrapeRequest = { type: SCRAPE, id, timeoutMs, ...options };
    send(request);
  });
}

function announce(sharing: boolean): void {
  const notice: SharingNotice = { type: SHARING, id: 0, sharing };
  send(notice);
}

function send(message: CollectResponse | ScrapeRequest | SharingNotice): void {
  try {
    process.send?.(message);
  } catch {
    // The primary is gone; the worker is about to exit (cluster workers exit on disconnect).
  }
}
