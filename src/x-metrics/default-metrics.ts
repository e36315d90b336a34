import type { XMetricType } from './types';

/** `NO_PREFIX` of the metrics runtime: default metric names without a prefix. */
const NO_PREFIX = '#no_prefix';

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
 * The default metrics as a table (spec mode), in the order the exporter registers them.
 * @example
 * listDefaultMetrics({ prefix: 'petstore', groupBy: 'operation', latency: 'histogram', defaultLabels: [] })[1]?.name
 * // 'petstore_http_request_total'
 */
export function listDefaultMetrics(settings: DefaultMetricsSettings): DefaultMetric[] {
  const p = settings.prefix === '' || settings.prefix === NO_PREFIX ? '' : `${settings.prefix}_`;
  const extra = settings.defaultLabels;
  return [
    {
      name: `${p}http_request_duration_seconds`,
      type: settings.latency,
      labelNames: ['method', settings.groupBy, 'status', ...extra],
      scope: 'tracked',
    },
    {
      name: `${p}http_request_total`,
      type: 'counter',
      labelNames: ['method', 'status', ...extra],
      scope: 'tracked',
    },
    {
      name: `${p}http_request_exceptions_total`,
      type: 'counter',
      labelNames: ['method', 'status', ...extra],
      scope: 'tracked',
    },
    { name: `${p}exporter_info`, type: 'gauge', labelNames: ['version'], scope: 'all' },
    {
      name: 'spectrometer_label_errors_total',
      type: 'counter',
      labelNames: ['metric'],
      scope: 'all',
    },
  ];
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
