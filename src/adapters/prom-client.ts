import * as promClient from 'prom-client';
import type { MetricObjectWithValues, MetricValue, Registry, Summary } from 'prom-client';
import {
  checkReliances,
  isClass,
  isMethod,
  type Dependency,
  type Reliance,
} from './dependency-check';

// prom-client has no public way to ask whether a series exists, to create a summary series at 0,
// or to read a registry's default labels, and its fastest read of a histogram is not public. This
// adapter is the only way to those internals: each one is checked on the adapter's first use
// (PrometheusMetrics defining its metrics) and pinned by test/adapters.

/** The package and the versions this adapter supports (package.json's range, pinned by a test). */
export const PROM_CLIENT: Dependency = { name: 'prom-client', range: '^15.1.3' };

/** The classes of prom-client the check probes (a stub stands in for them in tests). */
export type PromClientModule = Partial<
  Record<'Registry' | 'Counter' | 'Gauge' | 'Histogram' | 'Summary', unknown>
>;

/** One series of a metric: its label values (prom-client keeps numbers as given). */
export interface Series {
  labels: Record<string, string | number>;
}

interface SummarySeries extends Series {
  td: { reset(): void };
  count: number;
  sum: number;
}

type WithSeries = { hashMap?: Record<string, Series> };
type Probe = {
  inc?(l: object): void;
  set?(l: object, v: number): void;
  observe?(l: object, v: number): void;
};

const PROBE_LABELS = { probe: 'a' };

// Creates a metric of `Class` on no registry, records one sample and returns its series.
function probeSeries(Class: unknown, record: (metric: Probe) => void): Series[] {
  const Metric = Class as new (config: object) => Probe & WithSeries;
  const metric = new Metric({ name: 'probe', help: 'probe', labelNames: ['probe'], registers: [] });
  record(metric);
  return Object.values(metric.hashMap ?? {});
}

const hasProbeSeries = (series: Series[]): boolean =>
  series.length === 1 && series[0]?.labels.probe === 'a';

const MODULE_RELIANCES: readonly Reliance<PromClientModule>[] = [
  {
    internal: 'Registry#_defaultLabels (object of the labels given to setDefaultLabels)',
    holds: (m) => {
      const registry = new (m.Registry as new () => Registry)();
      registry.setDefaultLabels({ probe: '1' });
      return defaultLabelsOf(registry)?.probe === '1';
    },
  },
  {
    internal: 'Counter#hashMap ({ [hash]: { labels, value } })',
    holds: (m) => hasProbeSeries(probeSeries(m.Counter, (c) => c.inc?.(PROBE_LABELS))),
  },
  {
    internal: 'Gauge#hashMap ({ [hash]: { labels, value } })',
    holds: (m) => hasProbeSeries(probeSeries(m.Gauge, (g) => g.set?.(PROBE_LABELS, 1))),
  },
  {
    internal: 'Histogram#hashMap ({ [hash]: { labels, ... } })',
    holds: (m) => hasProbeSeries(probeSeries(m.Histogram, (h) => h.observe?.(PROBE_LABELS, 1))),
  },
  {
    internal: 'Summary#hashMap ({ [hash]: { labels, td: { reset() }, count, sum } })',
    holds: (m) => {
      const series = probeSeries(m.Summary, (s) => s.observe?.(PROBE_LABELS, 2));
      const entry = series[0] as SummarySeries | undefined;
      return (
        hasProbeSeries(series) &&
        isMethod(entry?.td, 'reset', 0) &&
        entry?.count === 1 &&
        entry.sum === 2
      );
    },
  },
  {
    internal: 'Counter#reset() replaces hashMap (series limits notice resets)',
    holds: (m) => {
      const Counter = m.Counter as new (config: object) => Probe & WithSeries & { reset(): void };
      const counter = new Counter({
        name: 'probe',
        help: 'p',
        labelNames: ['probe'],
        registers: [],
      });
      counter.inc?.(PROBE_LABELS);
      const before = counter.hashMap;
      counter.reset();
      return before !== undefined && counter.hashMap !== before;
    },
  },
  {
    internal: 'Histogram#upperBounds (the buckets it was created with)',
    holds: (m) => {
      const Histogram = m.Histogram as unknown as new (c: object) => object;
      const name = 'spectrometer_probe_buckets';
      return (
        bucketsOf(
          new Histogram({ name, help: 'probe', buckets: [1, 2], registers: [] }),
        )?.join() === '1,2'
      );
    },
  },
  {
    internal: 'Histogram (class) with getForPromString() or get()',
    holds: (m) =>
      isClass(m.Histogram) &&
      (isMethod(m.Histogram.prototype, 'getForPromString', 0) ||
        isMethod(m.Histogram.prototype, 'get', 0)),
  },
];

/** Every internal the adapter relies on (for tests and docs). */
export const PROM_CLIENT_RELIANCES = MODULE_RELIANCES;

/**
 * Checks a prom-client module against every internal the adapter relies on.
 * @throws SpectrometerError `SPM_DEPENDENCY` listing each missing or changed internal
 * @example
 * checkPromClient(require('prom-client'));
 */
export function checkPromClient(module: PromClientModule, version?: string): void {
  checkReliances(PROM_CLIENT, module, MODULE_RELIANCES, version);
}

let checked = false;

/**
 * Checks the installed prom-client once per process (see {@link checkPromClient}).
 * @example
 * ensurePromClient(); // before defining metrics
 */
export function ensurePromClient(): void {
  if (checked) return;
  checkPromClient(promClient);
  checked = true;
}

/**
 * The series of `metric` whose labels include `values` (compared as strings), if it exists.
 * @example
 * findSeries(counter, { status: '200' }) // { labels: { method: 'GET', status: 200 }, ... }
 */
export function findSeries(metric: object, values: Record<string, string>): Series | undefined {
  ensurePromClient();
  const series = (metric as WithSeries).hashMap ?? {};
  return Object.values(series).find((entry) =>
    Object.entries(values).every(([name, value]) => String(entry.labels[name]) === value),
  );
}

/**
 * The object in which a metric keeps its series. prom-client replaces it when the metric (or its
 * registry) is reset, so a new object means every series is gone.
 * @example
 * if (seriesStoreOf(counter) !== known) forgetSeries();
 */
export function seriesStoreOf(metric: object): object | undefined {
  return (metric as WithSeries).hashMap;
}

/**
 * Creates the series of a summary with these label values, empty: the state prom-client gives an
 * unlabelled summary before its first observation (it has no `zero()` for summaries).
 * @example
 * zeroSummary(summary, { tier: 'gold' });
 */
export function zeroSummary(summary: Summary<string>, values: Record<string, string>): void {
  summary.observe(values, 0);
  const entry = findSeries(summary, values) as SummarySeries | undefined;
  if (!entry) return;
  entry.td.reset();
  entry.count = 0;
  entry.sum = 0;
}

/**
 * The labels `registry.setDefaultLabels` gave a registry; undefined when it does not say.
 * @example
 * defaultLabelsOf(registry) // { region: 'eu' }
 */
export function defaultLabelsOf(registry: Registry): Record<string, string> | undefined {
  const labels = (registry as unknown as { _defaultLabels?: unknown })._defaultLabels;
  return labels && typeof labels === 'object' ? (labels as Record<string, string>) : undefined;
}

/**
 * The buckets prom-client kept on a histogram created outside spectrometer (`upperBounds`).
 * @example
 * bucketsOf(new Histogram({ name: 'h', help: 'h', buckets: [1, 2] })) // [1, 2]
 */
export function bucketsOf(metric: object): number[] | undefined {
  const bounds = (metric as { upperBounds?: unknown }).upperBounds;
  return Array.isArray(bounds) ? (bounds as number[]) : undefined;
}

/** A metric family as prom-client hands it to a renderer. */
export type MetricFamily = MetricObjectWithValues<MetricValue<string>>;

type WithPromString = {
  getForPromString?: () => Promise<MetricFamily> | MetricFamily;
  get(): Promise<MetricFamily>;
};

/**
 * Reads every metric family of a registry for rendering. Histograms are read through
 * `getForPromString` (what prom-client's own renderer uses): one label object is shared between a
 * series' bucket lines (`sharedLabels`), so renderers format it once per series, not per line.
 * Registry-wide default labels are only merged by `getMetricsAsJSON`, so registries with (or
 * without a readable record of) default labels are read that way.
 * @example
 * const families = await readFamilies(registry);
 */
export async function readFamilies(registry: Registry): Promise<MetricFamily[]> {
  ensurePromClient();
  const defaults = defaultLabelsOf(registry);
  if (!defaults || Object.keys(defaults).length > 0)
    return (await registry.getMetricsAsJSON()) as MetricFamily[];
  return Promise.all(
    registry.getMetricsAsArray().map((metric) => {
      const source = metric as unknown as WithPromString;
      return source.getForPromString ? source.getForPromString() : source.get();
    }),
  );
}
