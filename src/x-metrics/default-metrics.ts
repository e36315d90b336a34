import { defaultMetrics, EXPORTER_INFO } from '../metrics/default-metrics';
import { LABEL_ERRORS_METRIC } from '../metrics/labels';
import { SERIES_OVERFLOW_METRIC } from '../metrics/series-limit';
import { NO_PREFIX } from '../metrics/types';
import type { XMetricType } from './types';

/** A metric the exporter records without being asked to. */
export interface DefaultMetric {
  name: string;
  type: XMetricType;
  labelNames: string[];
  /** `tracked`: recorded for operations with default metrics; `all`: exporter-wide. */
  scope: 'tracked' | 'all';
}

/** What decides the default metrics' names and labels. */
export interface DefaultMetricsSettings {
  /** `''` or `NO_PREFIX` = none. */
  prefix: string;
  /** The group label of the duration metric. */
  groupBy: string;
  latency: 'histogram' | 'summary';
  defaultLabels: readonly string[];
}

/**
 * The default metrics as a table (spec mode), in the order the exporter registers them. The
 * request metrics come from the runtime's own table (`defaultMetrics` of the metrics layer), so
 * lint, `spectrometer metrics` and the collision checks see exactly what is recorded.
 * @example
 * listDefaultMetrics({ prefix: 'petstore', groupBy: 'operation', latency: 'histogram', defaultLabels: [] })[1]?.name
 * // 'petstore_http_request_total'
 */
export function listDefaultMetrics(settings: DefaultMetricsSettings): DefaultMetric[] {
  const prefix = toPrefix(settings.prefix);
  // Only names matter here: the label values are placeholders, never evaluated.
  const requests = defaultMetrics({
    prefix,
    group: { name: settings.groupBy, value: '' },
    latency: settings.latency,
    defaultLabels: settings.defaultLabels.map((name) => ({ name, value: '' })),
  }).map((metric): DefaultMetric => ({
    name: metric.definition.name,
    type: metric.definition.type,
    labelNames: metric.labels.map((label) => label.name),
    scope: 'tracked',
  }));
  return [
    ...requests,
    // Registered by PrometheusMetrics itself (its info metric), not part of the request table.
    { name: `${prefix}${EXPORTER_INFO}`, type: 'gauge', labelNames: ['version'], scope: 'all' },
    { name: LABEL_ERRORS_METRIC, type: 'counter', labelNames: ['metric'], scope: 'all' },
    { name: SERIES_OVERFLOW_METRIC, type: 'counter', labelNames: ['metric'], scope: 'all' },
  ];
}

// The runtime's rule (PrometheusMetrics `defaultsPrefix`): a trailing `_` is added when missing.
function toPrefix(prefix: string): string {
  if (prefix === '' || prefix === NO_PREFIX) return '';
  return prefix.endsWith('_') ? prefix : `${prefix}_`;
}

// prom-client's process metrics (collectDefaultMetrics); every `nodejs_` name is theirs too.
const PROCESS_METRICS = [
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_seconds_total',
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  'process_virtual_memory_bytes',
  'process_heap_bytes',
  'process_open_fds',
  'process_max_fds',
];

/**
 * Who else exports `name`, if anyone: a default metric or prom-client's process metrics.
 * @example
 * findDefaultOwner('express_http_request_total', defaults) // 'the default metric "express_http_request_total"'
 */
export function findDefaultOwner(
  name: string,
  defaults: readonly DefaultMetric[],
): string | undefined {
  if (defaults.some((metric) => metric.name === name)) return `the default metric "${name}"`;
  if (PROCESS_METRICS.includes(name) || name.startsWith('nodejs_'))
    return `prom-client's process metrics ("${name}")`;
  return undefined;
}
