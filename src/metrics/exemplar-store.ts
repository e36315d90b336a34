import { seriesStoreOf, type Exemplar } from '../adapters/prom-client';
import type { TraceContext } from './trace-context';

// The latest exemplar of each series (counters) or of each bucket of each series (histograms),
// kept beside prom-client's series: prom-client only takes exemplars on registries that render
// OpenMetrics alone, and ours serve both formats. Keyed by the metric's series store, so a reset
// metric forgets them with its series; bounded by the series limit.

/** Exemplars of one metric: series key → exemplar (counters) or bucket key → exemplar. */
type MetricExemplars = Map<string, Exemplar | Map<string, Exemplar>>;

const stores = new WeakMap<object, MetricExemplars>();

/**
 * The key of a series in the exemplar store: its label values by sorted label name.
 * @example seriesKey({ b: '1', a: 'x' }) // 'a=1:x,b=1:1,'
 */
export function seriesKey(labels: Readonly<Record<string, string | number | undefined>>): string {
  let key = '';
  for (const name of Object.keys(labels).sort()) {
    const value = String(labels[name]);
    key += `${name}=${value.length}:${value},`;
  }
  return key;
}

function toExemplar(trace: TraceContext, value: number): Exemplar {
  return {
    labelSet: { trace_id: trace.traceId, span_id: trace.spanId },
    value,
    timestamp: Date.now() / 1000,
  };
}

function storeOf(metric: object): MetricExemplars | undefined {
  const series = seriesStoreOf(metric);
  if (!series) return undefined;
  let store = stores.get(series);
  if (!store) {
    store = new Map();
    stores.set(series, store);
  }
  return store;
}

/**
 * Keeps the exemplar of one counter increment, or of one histogram observation in its bucket
 * (the first upper bound at least `value`, `-1` for +Inf, as prom-client keys them).
 * @example recordExemplar(histogram, labels, 0.04, trace, [0.05, 0.1])
 */
export function recordExemplar(
  metric: object,
  labels: Readonly<Record<string, string>>,
  value: number,
  trace: TraceContext,
  bucketBounds?: readonly number[],
): void {
  const store = storeOf(metric);
  if (!store) return;
  const key = seriesKey(labels);
  const exemplar = toExemplar(trace, value);
  if (!bucketBounds) {
    store.set(key, exemplar);
    return;
  }
  const bound = bucketBounds.find((upper) => value <= upper);
  let buckets = store.get(key);
  if (!(buckets instanceof Map)) {
    buckets = new Map();
    store.set(key, buckets);
  }
  buckets.set(bound === undefined ? '-1' : String(bound), exemplar);
}

/**
 * The exemplars recorded for a metric, for the renderer; undefined when there are none.
 * @example exemplarsOf(counter)?.get(seriesKey(series.labels))
 */
export function exemplarsOf(metric: object): MetricExemplars | undefined {
  const series = seriesStoreOf(metric);
  const store = series && stores.get(series);
  return store && store.size ? store : undefined;
}
