import type { CompiledMetric } from '../x-metrics';
import { QUANTILES, RATE, type PanelSpec } from './dashboard-panels';

/**
 * The panel of one x-metrics metric, by type: a counter's rate, a gauge's sum, a histogram's
 * p50/p95/p99, a summary's quantiles; grouped by the metric's own labels.
 * @example
 * buildMetricPanel(metric).queries[0]?.expr // 'sum by (tag) (rate(petstore_pets_created_total[$__rate_interval]))'
 */
export function buildMetricPanel(metric: CompiledMetric): PanelSpec {
  const by = metric.labelNames.length ? ` by (${metric.labelNames.join(', ')})` : '';
  const legend = metric.labelNames.map((name) => `${name}={{${name}}}`).join(' ') || metric.name;
  const unit = /_seconds(_total)?$/.test(metric.name)
    ? 's'
    : /_bytes(_total)?$/.test(metric.name)
      ? 'bytes'
      : 'short';
  const base = { type: 'timeseries' as const, title: metric.name, description: metric.help };
  switch (metric.type) {
    case 'counter':
      return {
        ...base,
        unit: unit === 'short' ? 'cps' : unit === 'bytes' ? 'Bps' : unit,
        queries: [{ expr: `sum${by} (rate(${metric.name}[${RATE}]))`, legend }],
      };
    case 'gauge':
      return { ...base, unit, queries: [{ expr: `sum${by} (${metric.name})`, legend }] };
    case 'histogram':
      return {
        ...base,
        unit,
        queries: QUANTILES.map((q) => ({
          expr: `histogram_quantile(${q}, sum by (le) (rate(${metric.name}_bucket[${RATE}])))`,
          legend: `p${q * 100}`,
        })),
      };
    case 'summary':
      return {
        ...base,
        unit,
        queries: [{ expr: `max by (quantile) (${metric.name})`, legend: 'quantile {{quantile}}' }],
      };
  }
}
