import type { Gauge, Registry } from 'prom-client';
import { SpectrometerError } from '../errors';
import { toLabelSpecs } from './labels';
import { defineMetric } from './metric-definition';

/**
 * Defines an info gauge set to 1 with static labels. `.set(value)` changes that labelled series
 * (instead of creating an unlabelled one). In a cluster, workers' values are not summed.
 */
export function defineInfoMetric(
  registry: Registry,
  name: string,
  help: string,
  labels: Record<string, string | number>,
): Gauge<string> {
  const specs = toLabelSpecs(labels, name);
  const values: Record<string, string> = {};
  for (const label of specs) {
    if (!('value' in label)) {
      throw new SpectrometerError(
        'SPM_INVALID_LABELS',
        `Label "${label.name}" of info metric ${name} must be a static value, got a function`,
      );
    }
    values[label.name] = label.value;
  }
  const gauge = defineMetric(registry, {
    name,
    help,
    type: 'gauge',
    labelNames: Object.keys(values),
    aggregator: 'max',
  }) as Gauge<string>;
  gauge.set(values, 1);
  if (Object.keys(values).length > 0) bindLabels(gauge, values);
  return gauge;
}

function bindLabels(gauge: Gauge<string>, values: Record<string, string>): void {
  const set = gauge.set.bind(gauge) as (a: unknown, b?: number) => void;
  (gauge as { set: unknown }).set = (a: unknown, b?: number) =>
    typeof a === 'number' ? set(values, a) : set(a, b);
}
