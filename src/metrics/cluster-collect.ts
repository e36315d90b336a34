import cluster, { type Worker } from 'node:cluster';
import type { WorkerState } from './cluster-aggregate';
import {
  COLLECT,
  COLLECTED,
  fromWire,
  isMessage,
  SHARING,
  WHO_SHARES,
  type CollectRequest,
  type SharingQuery,
  type CollectResponse,
  type Family,
} from './cluster-messages';

/** What one worker answered to one collection. */
export interface WorkerAnswer {
  workerId: number;
  state: WorkerState;
  /** The worker's families, one list per shared registry, when it responded. */
  registries: Family[][];
  /** Why it failed or timed out. */
  reason?: string;
}

// Pending collections across every aggregator of this primary, by request id.
const pending = new Map<number, (worker: Worker, message: CollectResponse) => void>();
// Workers that said they share their metrics (a worker still booting is not asked, not missed).
const sharing = new Set<number>();
let nextId = 1;
let listening = false;

/**
 * Starts following which workers share their metrics, and asks the ones already running
 * (workers announce themselves when they call `shareWorkerMetrics`).
 * @example listenToWorkers() // in the primary, before or after forking
 */
export function listenToWorkers(): void {
  if (listening) return;
  listening = true;
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (isMessage(message, COLLECTED)) pending.get(message.id)?.(worker, message);
    else if (isMessage(message, SHARING)) {
      if (message.sharing) sharing.add(worker.id);
      else sharing.delete(worker.id);
    }
  });
  cluster.on('exit', (worker: Worker) => sharing.delete(worker.id));
  const query: SharingQuery = { type: WHO_SHARES, id: 0 };
  for (const worker of Object.values(cluster.workers ?? {})) {
    if (worker?.isConnected()) worker.send(query, () => undefined);
  }
}

/**
 * Asks every connected worker that shares its metrics for them, in parallel. Each worker has
 * `timeoutMs` to answer; one that times out, dies or fails is reported as such, never waited
 * for longer, so the whole collection takes at most `timeoutMs`.
 * @example const answers = await collectWorkers(2000)
 */
export function collectWorkers(timeoutMs: number): Promise<WorkerAnswer[]> {
  listenToWorkers();
  const workers = Object.values(cluster.workers ?? {}).filter(
    (worker): worker is Worker => !!worker && worker.isConnected() && sharing.has(worker.id),
  );
  return Promise.all(workers.map((worker) => askWorker(worker, timeoutMs)));
}

function askWorker(worker: Worker, timeoutMs: number): Promise<WorkerAnswer> {
  const id = nextId++;
  return new Promise((resolve) => {
    let settled = false;
    const settle = (state: WorkerState, registries: Family[][] = [], reason?: string) => {
      if (settled) return;
      settled = true;
      pending.delete(id);
      clearTimeout(timer);
      worker.off('exit', onExit);
      resolve({ workerId: worker.id, state, registries, reason });
    };
    const onExit = () => settle('failed', [], 'the worker exited during the scrape');
    const timer = setTimeout(
      () => settle('timed_out', [], `no answer within ${timeoutMs} ms`),
      timeoutMs,
    );
    pending.set(id, (_worker, message) => {
      if (message.error !== undefined || !message.registries) {
        settle('failed', [], message.error ?? 'the worker sent no metrics');
      } else {
        settle('responded', message.registries.map(fromWire));
      }
    });
    worker.once('exit', onExit);
    const request: CollectRequest = { type: COLLECT, id };
    try {
      worker.send(request, (error: Error | null) => {
        if (error) settle('failed', [], `cannot reach the worker: ${error.message}`);
      });
    } catch (error) {
      settle('failed', [], `cannot reach the worker: ${(error as Error).message}`);
    }
  });
}
