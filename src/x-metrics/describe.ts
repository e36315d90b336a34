import type { BootProblem } from '../errors';
import { compileXMetrics } from './compile-x-metrics';
import { listDefaultMetrics } from './default-metrics';
import type { XMetricType, XMetricsOptions } from './types';

/** One metric a spec exports. */
export interface MetricDescription {
  name: string;
  type: XMetricType;
  /** Every label name, default labels included. */
  labels: string[];
  /** Keys of the operations that record it; empty for exporter-wide metrics. */
  operations: string[];
  /** `default`: recorded by the exporter itself; `x-metrics`: declared in the spec. */
  origin: 'default' | 'x-metrics';
  /** x-metrics only. */
  help?: string;
  /** x-metrics only: JSON pointers of its declarations. */
  declaredAt?: readonly string[];
}

/**
 * Lists the metrics a spec will export in spec mode (createApi), defaults first, without
 * prom-client's process metrics. `problems` are those of `compileXMetrics`.
 * @example
 * describeMetrics(document).metrics.map((m) => m.name)
 * // ['petstore_http_request_duration_seconds', …, 'pet_lookups_total']
 */
export function describeMetrics(
  document: unknown,
  options: XMetricsOptions = {},
): { problems: BootProblem[]; metrics: MetricDescription[] } {
  const compiled = compileXMetrics(document, options);
  const settings = compiled.document;
  const defaultLabels = (settings.defaultLabels ?? []).map((label) => label.name);
  const tracked = [...compiled.operations]
    .filter(([, op]) => op.track && !op.exclude)
    .map(([key]) => key);
  const defaults = listDefaultMetrics({
    prefix: options.defaultsPrefix ?? settings.defaultsPrefix ?? 'express',
    groupBy: settings.groupBy ?? 'operation',
    latency: settings.defaultLatencyAsHistogram === false ? 'summary' : 'histogram',
    defaultLabels,
  }).map((metric): MetricDescription => ({
    name: metric.name,
    type: metric.type,
    labels: metric.labelNames,
    operations: metric.scope === 'tracked' ? tracked : [],
    origin: 'default',
  }));
  const declared = new Map<string, MetricDescription>();
  for (const [key, op] of compiled.operations) {
    for (const metric of op.metrics) {
      const description: MetricDescription = declared.get(metric.name) ?? {
        name: metric.name,
        type: metric.type,
        labels: [...metric.labelNames, ...defaultLabels],
        operations: [],
        origin: 'x-metrics',
        help: metric.help,
        declaredAt: metric.declaredAt,
      };
      if (!description.operations.includes(key)) description.operations.push(key);
      declared.set(metric.name, description);
    }
  }
  return { problems: compiled.problems, metrics: [...defaults, ...declared.values()] };
}
