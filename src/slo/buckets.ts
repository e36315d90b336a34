import type { CompiledSlos } from './types';

/** prom-client's default histogram buckets: what the duration histogram has when none are set. */
export const PROM_CLIENT_DEFAULT_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * The duration histogram's buckets with every x-slo latency threshold added (ascending, no
 * repeats): the threshold must be a bucket boundary for the share within it to be counted.
 * `buckets` undefined means prom-client's defaults; without thresholds it is returned unchanged.
 * @example
 * addThresholdBuckets([0.1, 0.5, 1], [0.3]) // [0.1, 0.3, 0.5, 1]
 */
export function addThresholdBuckets(
  buckets: readonly number[] | undefined,
  thresholds: readonly number[],
): number[] | undefined {
  if (!thresholds.length) return buckets && [...buckets];
  const all = new Set([...(buckets ?? PROM_CLIENT_DEFAULT_BUCKETS), ...thresholds]);
  return [...all].sort((a, b) => a - b);
}

/** The default duration histogram's buckets as a spec mode API will have them. */
export interface DurationBuckets {
  /** `<prefix>http_request_duration_seconds`. */
  metric: string;
  buckets: number[];
  /** The x-slo latency thresholds among them. */
  thresholds: number[];
}

/**
 * The buckets of the default duration histogram: x-metrics `buckets` (or prom-client's defaults)
 * plus every x-slo latency threshold; undefined when latency is a summary.
 * @example
 * describeDurationBuckets(compileSlos(document), [0.1, 0.5])
 * // { metric: 'petstore_http_request_duration_seconds', buckets: [0.1, 0.3, 0.5], thresholds: [0.3] }
 */
export function describeDurationBuckets(
  slos: Pick<CompiledSlos, 'metrics' | 'thresholds'>,
  buckets: readonly number[] | undefined,
): DurationBuckets | undefined {
  if (slos.metrics.latency !== 'histogram') return undefined;
  return {
    metric: slos.metrics.durationMetric,
    buckets: addThresholdBuckets(buckets ?? PROM_CLIENT_DEFAULT_BUCKETS, slos.thresholds) ?? [],
    thresholds: [...slos.thresholds],
  };
}
