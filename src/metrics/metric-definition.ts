import { bucketsOf } from '../adapters/prom-client';
import { Counter, Gauge, Histogram, Summary, type Registry } from 'prom-client';
import { SpectrometerError } from '../errors';
import { assertLabelName, assertMetricName } from './metric-names';
import type { MetricType } from './types';

/** Everything that identifies a metric; two definitions of one name must agree on all of it. */
export interface MetricDefinition {
  name: string;
  help: string;
  type: MetricType;
  labelNames: readonly string[];
  buckets?: readonly number[];
  percentiles?: readonly number[];
  maxAgeSeconds?: number;
  ageBuckets?: number;
  /** How cluster aggregation combines workers' gauges (prom-client `aggregator`). */
  aggregator?: 'sum' | 'max' | 'min' | 'average' | 'first' | 'omit';
}

export type AnyMetric = Counter<string> | Gauge<string> | Histogram<string> | Summary<string>;

const CLASSES = { counter: Counter, gauge: Gauge, histogram: Histogram, summary: Summary };

// The definition each metric was created from, to compare later definitions against.
const definitions = new WeakMap<object, MetricDefinition>();

/**
 * Returns the metric `definition.name` of `registry`, creating it if needed. A metric that is
 * already there is reused when it agrees with the definition; a conflicting one is an error.
 */
export function defineMetric(registry: Registry, definition: MetricDefinition): AnyMetric {
  assertMetricName(definition.name);
  if (typeof definition.help !== 'string' || definition.help === '') {
    throw new SpectrometerError(
      'SPM_INVALID_OPTION',
      `Metric ${definition.name} needs a non-empty help text, got ${JSON.stringify(definition.help)}`,
    );
  }
  for (const label of definition.labelNames)
    assertLabelName(label, definition.name, definition.type);
  assertBuckets(definition);

  const existing = registry.getSingleMetric(definition.name);
  if (existing) {
    assertSameDefinition(existing, definition);
    return existing as AnyMetric;
  }
  const Class = CLASSES[definition.type];
  const metric = new Class({
    name: definition.name,
    help: definition.help,
    labelNames: [...definition.labelNames],
    registers: [registry],
    ...(definition.buckets ? { buckets: [...definition.buckets] } : {}),
    ...(definition.percentiles ? { percentiles: [...definition.percentiles] } : {}),
    ...(definition.maxAgeSeconds !== undefined ? { maxAgeSeconds: definition.maxAgeSeconds } : {}),
    ...(definition.ageBuckets !== undefined ? { ageBuckets: definition.ageBuckets } : {}),
    ...(definition.aggregator ? { aggregator: definition.aggregator } : {}),
  } as never) as AnyMetric;
  definitions.set(metric, definition);
  return metric;
}

function assertBuckets(definition: MetricDefinition): void {
  const { buckets, name } = definition;
  if (!buckets) return;
  const ascending = buckets.every(
    (b, i) => typeof b === 'number' && Number.isFinite(b) && (i === 0 || b > (buckets[i - 1] ?? b)),
  );
  if (!Array.isArray(buckets) || buckets.length === 0 || !ascending) {
    throw new SpectrometerError(
      'SPM_INVALID_OPTION',
      `Buckets of ${name} must be a non-empty list of ascending finite numbers, got ${JSON.stringify(buckets)}`,
    );
  }
}

function describeExisting(metric: object): Partial<MetricDefinition> {
  const known = definitions.get(metric);
  if (known) return known;
  // A metric created outside spectrometer: read what prom-client kept on the instance.
  const raw = metric as Partial<MetricDefinition>;
  const type = (Object.keys(CLASSES) as MetricType[]).find((t) => metric instanceof CLASSES[t]);
  return { ...raw, type, buckets: bucketsOf(metric) };
}

function assertSameDefinition(metric: object, wanted: MetricDefinition): void {
  const have = describeExisting(metric);
  const differences: string[] = [];
  const compare = (key: keyof MetricDefinition, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      differences.push(`${key} ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  };
  compare('type', have.type, wanted.type);
  compare('help', have.help, wanted.help);
  compare('labelNames', [...(have.labelNames ?? [])].sort(), [...wanted.labelNames].sort());
  if (wanted.type === 'histogram' && wanted.buckets)
    compare('buckets', have.buckets, wanted.buckets);
  if (differences.length) {
    throw new SpectrometerError(
      'SPM_METRIC_CONFLICT',
      `Metric ${wanted.name} is already registered with a different definition: ${differences.join('; ')}`,
    );
  }
}
