import { readFileSync } from 'node:fs';
import * as promClient from 'prom-client';
import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import {
  PROM_CLIENT,
  PROM_CLIENT_RELIANCES,
  addToSeries,
  checkPromClient,
  defaultLabelsOf,
  directlyRecordable,
  findSeries,
  readSeriesFamilies,
  seriesHandleOf,
  seriesStoreOf,
  zeroSummary,
} from '../../src/adapters/prom-client';
import { SpectrometerError } from '../../src/errors';

// Each test pins one internal of prom-client that src/adapters relies on, on the installed
// version: a release that drops or changes it fails here, and at first use with SPM_DEPENDENCY.

const installed = (
  JSON.parse(readFileSync(require.resolve('prom-client/package.json'), 'utf8')) as {
    version: string;
  }
).version;

type Series = { labels: Record<string, unknown>; value?: number };
const seriesOf = (metric: object) =>
  Object.values((metric as { hashMap: Record<string, Series> }).hashMap);
const config = (name: string) => ({ name, help: 'h', labelNames: ['tier'], registers: [] });

describe('prom-client internals', () => {
  it('declares the range package.json gives the dependency', () => {
    const pkg = JSON.parse(readFileSync(`${__dirname}/../../package.json`, 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(PROM_CLIENT.range).toBe(pkg.dependencies['prom-client']);
  });

  it.each(PROM_CLIENT_RELIANCES.map((r) => [r.internal, r] as const))(
    'holds on the installed version: %s',
    (_name, reliance) => {
      expect(reliance.holds(promClient)).toBe(true);
    },
  );

  it('keeps a counter series in Counter#hashMap as { labels, value }', () => {
    const counter = new Counter(config('c'));
    counter.inc({ tier: 'gold' }, 2);
    expect(seriesOf(counter)).toEqual([{ labels: { tier: 'gold' }, value: 2 }]);
  });

  it('keeps a gauge series in Gauge#hashMap as { labels, value }', () => {
    const gauge = new Gauge(config('g'));
    gauge.set({ tier: 'gold' }, 4);
    expect(seriesOf(gauge)).toEqual([{ labels: { tier: 'gold' }, value: 4 }]);
  });

  it('keeps a histogram series in Histogram#hashMap with its labels', () => {
    const histogram = new Histogram(config('h'));
    histogram.zero({ tier: 'gold' });
    expect(seriesOf(histogram)).toEqual([expect.objectContaining({ labels: { tier: 'gold' } })]);
  });

  it('keeps a summary series in Summary#hashMap with labels, td.reset(), count and sum', () => {
    const summary = new Summary(config('s'));
    summary.observe({ tier: 'gold' }, 3);
    const [entry] = seriesOf(summary) as Array<Series & { td: object; count: number; sum: number }>;
    expect(entry).toMatchObject({ labels: { tier: 'gold' }, count: 1, sum: 3 });
    expect(typeof (entry?.td as { reset?: unknown }).reset).toBe('function');
  });

  it("keeps setDefaultLabels' labels in Registry#_defaultLabels", () => {
    const registry = new Registry();
    expect(defaultLabelsOf(registry)).toEqual({});
    registry.setDefaultLabels({ region: 'eu' });
    expect(defaultLabelsOf(registry)).toEqual({ region: 'eu' });
  });

  it("shares one label object between a histogram series' lines in getForPromString", async () => {
    const histogram = new Histogram({ ...config('h2'), buckets: [1, 2] });
    histogram.observe({ tier: 'gold' }, 1.5);
    const family = await (
      histogram as unknown as {
        getForPromString(): Promise<{ values: Array<{ labels: object; sharedLabels?: object }> }>;
      }
    ).getForPromString();
    const shared = family.values.map((value) => value.sharedLabels);
    expect(shared[0]).toEqual({ tier: 'gold' });
    expect(new Set(shared).size).toBe(1);
    expect(family.values[0]?.labels).toEqual({ le: 1 });
  });

  it('replaces the series store when a metric or its registry is reset', () => {
    const registry = new Registry();
    const counter = new Counter({ ...config('c4'), registers: [registry] });
    counter.inc({ tier: 'gold' });
    const first = seriesStoreOf(counter);
    expect(first).toBe((counter as unknown as { hashMap: object }).hashMap);
    registry.resetMetrics();
    expect(seriesStoreOf(counter)).not.toBe(first);
  });

  it('updates a counter or histogram series in place, found by its hash of name:value pairs', async () => {
    const registry = new Registry();
    const counter = new Counter({
      ...config('c5'),
      labelNames: ['tier', 'app'],
      registers: [registry],
    });
    const histogram = new Histogram({ ...config('h5'), buckets: [1, 2], registers: [registry] });
    counter.inc({ tier: 'gold', app: 'shop' });
    histogram.observe({ tier: 'gold' }, 1.5);
    const counted = seriesHandleOf(counter, { tier: 'gold', app: 'shop' });
    const observed = seriesHandleOf(histogram, { tier: 'gold' });
    expect(directlyRecordable(counter)).toBe('counter');
    expect(directlyRecordable(histogram)).toBe('histogram');
    expect(counted?.entry).toBe(Object.values(seriesStoreOf(counter) ?? {})[0]);
    expect(addToSeries(counter, counted!, 'counter', 2)).toBe(true);
    expect(addToSeries(histogram, observed!, 'histogram', 0.5, [1, 2])).toBe(true);
    counter.inc({ tier: 'gold', app: 'shop' });
    histogram.observe({ tier: 'gold' }, 3);
    const text = await registry.metrics();
    expect(text).toContain('c5{tier="gold",app="shop"} 4');
    expect(text).toContain('h5_bucket{le="1",tier="gold"} 1');
    expect(text).toContain('h5_bucket{le="2",tier="gold"} 2');
    expect(text).toContain('h5_count{tier="gold"} 3');
    // A series removed, or a reset, leaves the handle stale: nothing is added through it.
    counter.remove({ tier: 'gold', app: 'shop' });
    expect(addToSeries(counter, counted!, 'counter', 1)).toBe(false);
    expect(seriesHandleOf(counter, { tier: 'gold', app: 'shop' })).toBeNull();
  });

  it('refuses a version whose inc replaces the series entry instead of updating it', () => {
    class CopyingCounter extends Counter {
      constructor(configuration: ConstructorParameters<typeof Counter>[0]) {
        super(configuration);
        const inc = this.inc.bind(this) as (...args: unknown[]) => void;
        this.inc = ((...args: unknown[]) => {
          inc(...args);
          const store = (this as unknown as { hashMap: Record<string, object> }).hashMap;
          for (const hash in store) store[hash] = { ...store[hash] };
        }) as Counter['inc'];
      }
    }
    expect(() => checkPromClient({ ...promClient, Counter: CopyingCounter }, '16.0.0')).toThrow(
      /missing or changed: Counter#inc and Histogram#observe update a series entry in place/,
    );
  });

  it('finds a series by label values compared as strings', () => {
    const counter = new Counter({ ...config('c2'), labelNames: ['code'] });
    counter.inc({ code: 200 });
    expect(findSeries(counter, { code: '200' })).toMatchObject({ labels: { code: 200 } });
    expect(findSeries(counter, { code: '500' })).toBeUndefined();
  });

  it('creates an empty summary series, as prom-client leaves an unlabelled one', async () => {
    const registry = new Registry();
    const summary = new Summary({ ...config('s2'), registers: [registry] });
    zeroSummary(summary, { tier: 'gold' });
    const text = await registry.metrics();
    expect(text).toContain('s2_count{tier="gold"} 0');
    expect(text).toContain('s2_sum{tier="gold"} 0');
  });

  it('reads series from hashMap (counter, gauge: value; histogram: bucketValues, sum, count, upperBounds), after collect()', async () => {
    const registry = new Registry();
    new Counter({ ...config('c3'), registers: [registry] }).inc({ tier: 'gold' }, 2);
    new Gauge({
      name: 'g3',
      help: 'h',
      registers: [registry],
      collect() {
        this.set(7);
      },
    });
    const histogram = new Histogram({ ...config('h3'), buckets: [1, 2], registers: [registry] });
    histogram.observe({ tier: 'gold' }, 1.5);
    new Summary({ ...config('s3'), registers: [registry] });
    registry.setDefaultLabels({ region: 'eu' });
    const { families, defaultLabels } = await readSeriesFamilies(registry);
    expect(defaultLabels).toEqual({ region: 'eu' });
    expect(families).toEqual([
      {
        type: 'counter',
        name: 'c3',
        help: 'h',
        series: [{ labels: { tier: 'gold' }, value: 2 }],
        source: registry.getSingleMetric('c3'),
      },
      {
        type: 'gauge',
        name: 'g3',
        help: 'h',
        series: [{ labels: {}, value: 7 }],
        source: registry.getSingleMetric('g3'),
      },
      {
        type: 'histogram',
        name: 'h3',
        help: 'h',
        bucketBounds: [1, 2],
        series: [{ labels: { tier: 'gold' }, bucketValues: { 1: 0, 2: 1 }, sum: 1.5, count: 1 }],
        source: histogram,
      },
      { type: 'family', name: 's3', family: expect.objectContaining({ type: 'summary' }) },
    ]);
  });
});

describe('checkPromClient', () => {
  it('accepts the installed module', () => {
    expect(() => checkPromClient(promClient)).not.toThrow();
  });

  it('refuses a version whose metrics keep no hashMap: SPM_DEPENDENCY naming package, version and range', () => {
    class MovedSeries extends Counter {
      constructor(configuration: ConstructorParameters<typeof Counter>[0]) {
        super(configuration);
        Object.defineProperty(this, 'series', { value: this.hashMap });
        delete (this as { hashMap?: unknown }).hashMap;
      }
      declare hashMap?: unknown;
    }
    let error: unknown;
    try {
      checkPromClient({ ...promClient, Counter: MovedSeries });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpectrometerError);
    expect(error).toMatchObject({ code: 'SPM_DEPENDENCY' });
    expect((error as Error).message).toContain(
      `prom-client ${installed} is installed, but spectrometer supports prom-client ${PROM_CLIENT.range}`,
    );
    // Reading series values and noticing resets rely on hashMap too, so they fail with it.
    expect((error as SpectrometerError).problems).toEqual([
      { message: 'missing or changed: Counter#hashMap ({ [hash]: { labels, value } })' },
      {
        message:
          'missing or changed: hashMap entries: { value } (Counter, Gauge), { bucketValues, sum, count } (Histogram)',
      },
      {
        message:
          'missing or changed: Counter#inc and Histogram#observe update a series entry in place (recordings add to it)',
      },
      {
        message:
          'missing or changed: Counter#reset() replaces hashMap (series limits notice resets)',
      },
    ]);
  });

  it('refuses a registry that no longer keeps _defaultLabels, and a module without classes', () => {
    class RenamedDefaults extends Registry {
      override setDefaultLabels(labels: object): void {
        Object.defineProperty(this, 'defaults', { value: labels });
      }
    }
    expect(() => checkPromClient({ ...promClient, Registry: RenamedDefaults }, '16.0.0')).toThrow(
      /^prom-client 16\.0\.0 is installed[^]*missing or changed: Registry#_defaultLabels/,
    );
    expect(() => checkPromClient({}, '16.0.0')).toThrow(
      expect.objectContaining({
        code: 'SPM_DEPENDENCY',
        problems: PROM_CLIENT_RELIANCES.map((r) => ({
          message: `missing or changed: ${r.internal}`,
        })),
      }),
    );
  });

  it('makes new PrometheusMetrics(app) fail with SPM_DEPENDENCY when the installed prom-client lacks an internal', () => {
    const actual = jest.requireActual<typeof promClient>('prom-client');
    class RenamedDefaults extends actual.Registry {
      override setDefaultLabels(labels: object): void {
        Object.defineProperty(this, 'defaults', { value: labels });
      }
    }
    let boot: () => unknown = () => undefined;
    jest.isolateModules(() => {
      jest.doMock('prom-client', () => ({ ...actual, Registry: RenamedDefaults }));
      const express = require('express') as typeof import('express');
      const { PrometheusMetrics } = require('../../src') as typeof import('../../src');
      boot = () =>
        new PrometheusMetrics(express(), {
          registry: new actual.Registry(),
          processMetrics: false,
        });
    });
    expect(boot).toThrow(
      expect.objectContaining({
        code: 'SPM_DEPENDENCY',
        message: expect.stringContaining('missing or changed: Registry#_defaultLabels'),
      }),
    );
    jest.dontMock('prom-client');
  });
});
