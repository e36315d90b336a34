import { AggregatorRegistry, type MetricType } from 'prom-client';
import { SpectrometerError } from '../errors';
import type { Family } from './cluster-messages';
import { keepExemplars } from './cluster-exemplars';

/** The self-metric of every aggregated scrape: how many workers answered it, and how. */
export const CLUSTER_WORKERS_METRIC = 'spectrometer_cluster_workers';

/** How one worker answered one aggregated scrape. */
export type WorkerState = 'responded' | 'timed_out' | 'failed';

/** The workers of one aggregated scrape, by state. */
export type WorkerCounts = Record<WorkerState, number>;

const STATES: readonly WorkerState[] = ['responded', 'timed_out', 'failed'];

/**
 * Combines the metric families of many registries (workers) with prom-client's
 * `AggregatorRegistry.aggregate`: each metric by its `aggregator` (counters, histograms and
 * in-progress gauges sum; info gauges take the max; `process_start_time_seconds` is omitted).
 * Summary quantiles are the exception: prom-client would add them up, which means nothing, so
 * they take the max over the workers, an upper bound of the cluster-wide quantile. Each sample
 * keeps the latest exemplar a worker sent for it.
 * @example const families = await aggregateFamilies([await r1.getMetricsAsJSON(), await r2.getMetricsAsJSON()])
 */
export async function aggregateFamilies(registries: Family[][]): Promise<Family[]> {
  try {
    const registry = AggregatorRegistry.aggregate(registries);
    const families = (await registry.getMetricsAsJSON()) as Family[];
    return keepExemplars(
      families.map((family) => maxQuantiles(family, registries)),
      registries,
    );
  } catch (error) {
    // Workers that disagree on a metric's type or aggregator are a programming error; say which.
    const reason = error instanceof Error ? error.message : String(error);
    throw new SpectrometerError('SPM_CLUSTER', `Cannot aggregate the workers' metrics: ${reason}`);
  }
}

/**
 * The `spectrometer_cluster_workers{state}` gauge family of one scrape; every state is present,
 * so `spectrometer_cluster_workers{state!="responded"} > 0` can alert on missing workers.
 * @example renderFamilies([...families, workersFamily({ responded: 2, timed_out: 1, failed: 0 })])
 */
export function workersFamily(counts: WorkerCounts): Family {
  return {
    name: CLUSTER_WORKERS_METRIC,
    help: 'Cluster workers in this scrape, by how they answered (responded, timed_out, failed)',
    type: 'gauge' as unknown as MetricType, // prom-client's JSON says 'gauge'; its typings say enum
    aggregator: 'sum',
    values: STATES.map((state) => ({ labels: { state }, value: counts[state] })),
  } as unknown as Family;
}

// A summary's quantile samples: the max over the workers (NaN = no observations, ignored).
function maxQuantiles(family: Family, registries: Family[][]): Family {
  if (String(family.type) !== 'summary') return family;
  const maxima = new Map<string, number>();
  for (const registry of registries) {
    for (const value of registry.find((f) => f.name === family.name)?.values ?? []) {
      if (value.labels?.quantile === undefined || Number.isNaN(value.value)) continue;
      const key = labelKey(value.labels);
      maxima.set(key, Math.max(maxima.get(key) ?? -Infinity, value.value));
    }
  }
  const values = family.values.map((value) =>
    value.labels?.quantile === undefined
      ? value
      : { ...value, value: maxima.get(labelKey(value.labels)) ?? NaN },
  );
  return { ...family, values };
}

function labelKey(labels: Partial<Record<string, string | number>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}
