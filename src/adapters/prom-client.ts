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
  inc?(l: object, v?: number): void;
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
    internal:
      'hashMap entries: { value } (Counter, Gauge), { bucketValues, sum, count } (Histogram)',
    holds: (m) => {
      const [count] = probeSeries(m.Counter, (c) => c.inc?.(PROBE_LABELS, 2));
      const [gauge] = probeSeries(m.Gauge, (g) => g.set?.(PROBE_LABELS, 3));
      const Histogram = m.Histogram as new (config: object) => Probe & WithSeries;
      const histogram = new Histogram({
        name: 'probe',
        help: 'probe',
        labelNames: ['probe'],
        buckets: [1],
        registers: [],
      });
      histogram.observe?.(PROBE_LABELS, 0.5);
      const bucket = Object.values(histogram.hashMap ?? {})[0] as unknown as BucketSeries;
      return (
        (count as ValueSeries | undefined)?.value === 2 &&
        (gauge as ValueSeries | undefined)?.value === 3 &&
        bucket?.bucketValues?.[1] === 1 &&
        bucket.sum === 0.5 &&
        bucket.count === 1
      );
    },
  },
  {
    internal:
      'Counter#inc and Histogram#observe update a series entry in place (recordings add to it)',
    holds: (m) => {
      const entryAfter = (Class: unknown, record: (metric: Probe) => void) => {
        const Metric = Class as new (config: object) => Probe & WithSeries;
        const metric = new Metric({
          name: 'probe',
          help: 'probe',
          labelNames: ['probe'],
          registers: [],
        });
        record(metric);
        const first = Object.values(metric.hashMap ?? {})[0];
        record(metric);
        return first !== undefined && Object.values(metric.hashMap ?? {})[0] === first;
      };
      return (
        entryAfter(m.Counter, (c) => c.inc?.(PROBE_LABELS)) &&
        entryAfter(m.Histogram, (h) => h.observe?.(PROBE_LABELS, 1))
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
 * A counter's or histogram's series as prom-client keeps it, held so a recording can add to it
 * directly: prom-client's own path validates the labels and rebuilds their hash string on every
 * call, which is most of what recording a request costs.
 */
export interface SeriesHandle {
  readonly store: Record<string, unknown>;
  readonly hash: string;
  readonly entry: ValueSeries | BucketSeries;
}

/**
 * The handle of the series of `metric` with exactly these label values, once prom-client has
 * created it (by a recording through its own API). `null` when it cannot be found where
 * prom-client keeps it (its hash of `name:value,` pairs in name order): then recordings keep
 * using prom-client's API.
 * @example
 * counter.inc(values); const handle = seriesHandleOf(counter, values);
 */
export function seriesHandleOf(
  metric: object,
  values: Readonly<Record<string, string>>,
): SeriesHandle | null {
  const store = (metric as WithSeries).hashMap as Record<string, ValueSeries> | undefined;
  const names = Object.keys(values).sort();
  const hash = names.map((name) => `${name}:${values[name]},`).join('');
  const entry = store?.[hash];
  if (!store || !entry) return null;
  const labels = entry.labels;
  const same =
    Object.keys(labels).length === names.length &&
    names.every((name) => String(labels[name]) === values[name]);
  return same ? { store, hash, entry } : null;
}

/**
 * Whether recordings can go straight into the series of `metric`: a counter or histogram of
 * prom-client's own classes (not a subclass, which may record differently).
 * @example
 * directlyRecordable(new Counter({ name: 'c', help: 'c' })) // 'counter'
 */
export function directlyRecordable(metric: object): 'counter' | 'histogram' | undefined {
  const proto: unknown = Object.getPrototypeOf(metric);
  if (proto === promClient.Counter.prototype) return 'counter';
  if (proto === promClient.Histogram.prototype) return 'histogram';
  return undefined;
}

/**
 * Adds one recording to a series through its handle, as prom-client's `inc(labels, amount)`
 * (counters) or `observe(labels, amount)` (histograms, `bounds` their buckets) would. Returns
 * false, recording nothing, when the handle is stale: the metric was reset or the series removed.
 * @example
 * if (!addToSeries(counter, handle, 'counter', 1)) counter.inc(values, 1);
 */
export function addToSeries(
  metric: object,
  handle: SeriesHandle,
  type: 'counter' | 'histogram',
  amount: number,
  bounds?: readonly number[],
): boolean {
  const { store, hash, entry } = handle;
  if ((metric as WithSeries).hashMap !== store || store[hash] !== entry) return false;
  if (type === 'counter') {
    (entry as ValueSeries).value += amount;
    return true;
  }
  const series = entry as BucketSeries;
  series.sum += amount;
  series.count += 1;
  // The first bucket whose upper bound holds the value; above them all, only +Inf (the count).
  for (const bound of bounds ?? []) {
    if (amount <= bound) {
      series.bucketValues[bound] = (series.bucketValues[bound] ?? 0) + 1;
      break;
    }
  }
  return true;
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

/** An exemplar as prom-client keeps it (metrics created with `enableExemplars`). */
export interface Exemplar {
  labelSet: Record<string, string | number>;
  value: number | null;
  timestamp?: number;
}

/** One series of a counter or gauge, as prom-client keeps it. */
export interface ValueSeries {
  labels: Record<string, string | number>;
  value: number;
  exemplar?: Exemplar | null;
}

/** One series of a histogram, as prom-client keeps it: counts per upper bound (not cumulative). */
export interface BucketSeries {
  labels: Record<string, string | number>;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
  /** Per upper bound, `-1` for +Inf. */
  bucketExemplars?: Record<string, Exemplar | null>;
}

/** A metric's series as a renderer reads them. */
export type SeriesFamily =
  | {
      type: 'counter' | 'gauge';
      name: string;
      help: string;
      series: ValueSeries[];
      /** The metric itself, for what is kept beside its series (exemplars). */
      source: object;
    }
  | {
      type: 'histogram';
      name: string;
      help: string;
      /** The histogram's buckets (upper bounds, +Inf left out). */
      bucketBounds: readonly number[];
      series: BucketSeries[];
      source: object;
    }
  /** Summaries, and metrics of classes that render themselves: read as prom-client reads them. */
  | { type: 'family'; name: string; family: MetricFamily };

type Readable = { collect?: () => unknown; get(): Promise<MetricFamily>; name: string };

// Only prom-client's own classes with its own get() are read from their series; anything that
// overrides get() (or getForPromString) renders what it says it holds.
function ownClass(metric: object): 'counter' | 'gauge' | 'histogram' | undefined {
  type Methods = { get?: unknown; getForPromString?: unknown };
  const classes = [
    ['histogram', promClient.Histogram],
    ['counter', promClient.Counter],
    ['gauge', promClient.Gauge],
  ] as const;
  for (const [type, Class] of classes) {
    if (!(metric instanceof Class)) continue;
    const own = Class.prototype as Methods;
    const its = metric as Methods;
    return its.get === own.get && its.getForPromString === own.getForPromString ? type : undefined;
  }
  return undefined;
}

/**
 * Reads every metric of a registry for rendering, as prom-client's `registry.metrics()` does
 * (collect callbacks first, series in insertion order), but from the series themselves: no
 * object per bucket line. Also returns the registry's default labels (`setDefaultLabels`).
 * @example
 * const { families, defaultLabels } = await readSeriesFamilies(registry);
 */
export async function readSeriesFamilies(
  registry: Registry,
): Promise<{ families: SeriesFamily[]; defaultLabels: Record<string, string> }> {
  ensurePromClient();
  const metrics = registry.getMetricsAsArray() as unknown as Readable[];
  const families = await Promise.all(metrics.map(readSeriesFamily));
  return { families, defaultLabels: defaultLabelsOf(registry) ?? {} };
}

async function readSeriesFamily(metric: Readable): Promise<SeriesFamily> {
  const type = ownClass(metric);
  if (!type) return { type: 'family', name: metric.name, family: await metric.get() };
  if (metric.collect) {
    const pending = metric.collect();
    if (pending instanceof Promise) await pending;
  }
  const { name, help, hashMap } = metric as unknown as {
    name: string;
    help: string;
    hashMap: Record<string, ValueSeries & BucketSeries>;
  };
  const series = Object.values(hashMap);
  if (type !== 'histogram') return { type, name, help, series, source: metric };
  return { type, name, help, bucketBounds: bucketsOf(metric) ?? [], series, source: metric };
}
