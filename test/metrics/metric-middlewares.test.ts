import type { Request, Response } from 'express';
import request from 'supertest';
import { SpectrometerError } from '../../src';
import { findSamples, sampleValue } from '../helpers/exposition';
import { instrumentedApp, scrape } from '../helpers/apps';

const ok = (_req: Request, res: Response) => {
  res.send('ok');
};

describe('metric middlewares', () => {
  it('counter: static labels start at 0, request and response labels are evaluated at the end', async () => {
    const { app, metrics } = instrumentedApp();
    const byStatus = metrics.counter('hits_total', 'Hits', {
      labels: {
        kind: 'page',
        status: (_req, res) => res!.statusCode,
        id: (req) => req.params.id as string,
      },
    });
    const fixed = metrics.counter('fixed_total', 'Fixed', { labels: { team: 'a', version: 2 } });
    app.get('/items/:id', byStatus, fixed, ok);
    expect(sampleValue(await scrape(app), 'fixed_total', { team: 'a', version: '2' })).toBe(0);
    await request(app).get('/items/5').expect(200);
    await request(app).get('/items/5').expect(200);
    const text = await scrape(app);
    expect(sampleValue(text, 'hits_total', { kind: 'page', status: '200', id: '5' })).toBe(2);
    expect(sampleValue(text, 'fixed_total', { team: 'a', version: '2' })).toBe(2);
    expect(byStatus.metric).toBeDefined();
  });

  it('exposes a counter named without _total as <name>_total in text and OpenMetrics alike', async () => {
    const { app, metrics } = instrumentedApp();
    const invocations = metrics.counter('invocation_by_type', 'Invocations', {
      labels: { t: 'a' },
    });
    app.get('/', invocations, ok);
    await request(app).get('/');
    const text = await scrape(app);
    const open = (await request(app).get('/metrics').set('Accept', 'application/openmetrics-text'))
      .text;
    expect(sampleValue(text, 'invocation_by_type_total', { t: 'a' })).toBe(1);
    expect(sampleValue(open, 'invocation_by_type_total', { t: 'a' })).toBe(1);
    expect(text).toContain('# TYPE invocation_by_type_total counter');
    expect((invocations.metric as unknown as { name: string }).name).toBe(
      'invocation_by_type_total',
    );
  });

  it('starts every type with all-static labels at 0, summaries included', async () => {
    const { app, metrics } = instrumentedApp();
    const labels = { labels: { team: 'a' } };
    app.get(
      '/',
      metrics.counter('z_total', 'Z', labels),
      metrics.gauge('z_in_progress', 'Z', labels),
      metrics.histogram('z_seconds', 'Z', { ...labels, buckets: [1] }),
      metrics.summary('z_latency_seconds', 'Z', { ...labels, percentiles: [0.5] }),
      ok,
    );
    const text = await scrape(app);
    expect(sampleValue(text, 'z_total', { team: 'a' })).toBe(0);
    expect(sampleValue(text, 'z_in_progress', { team: 'a' })).toBe(0);
    expect(sampleValue(text, 'z_seconds_count', { team: 'a' })).toBe(0);
    expect(sampleValue(text, 'z_latency_seconds_count', { team: 'a' })).toBe(0);
    expect(sampleValue(text, 'z_latency_seconds_sum', { team: 'a' })).toBe(0);
    await request(app).get('/').expect(200);
    const after = await scrape(app);
    expect(sampleValue(after, 'z_latency_seconds_count', { team: 'a' })).toBe(1);
    expect(sampleValue(after, 'z_total', { team: 'a' })).toBe(1);
  });

  it('initialValueWhenOnlyStaticLabels: false waits for the first request', async () => {
    const { app, metrics } = instrumentedApp();
    app.get(
      '/',
      metrics.counter('lazy_total', 'Lazy', {
        labels: { a: 'b' },
        initialValueWhenOnlyStaticLabels: false,
      }),
      ok,
    );
    expect(findSamples(await scrape(app), 'lazy_total')).toEqual([]);
  });

  it('gauge: counts requests in progress and comes back to 0', async () => {
    const { app, metrics } = instrumentedApp();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    app.get(
      '/slow',
      metrics.gauge('slow_in_progress', 'Slow requests running', {
        labels: { route: (req) => req.path },
      }),
      async (_req, res) => {
        entered();
        await gate;
        res.send('done');
      },
    );
    const pending = request(app)
      .get('/slow')
      .then((r) => r.status);
    await inside;
    expect(sampleValue(await scrape(app), 'slow_in_progress', { route: '/slow' })).toBe(1);
    release();
    expect(await pending).toBe(200);
    expect(sampleValue(await scrape(app), 'slow_in_progress', { route: '/slow' })).toBe(0);
  });

  it('histogram and summary observe the request duration in seconds', async () => {
    const { app, metrics } = instrumentedApp();
    app.get(
      '/h',
      metrics.histogram('h_seconds', 'H', {
        buckets: [0.5, 10],
        labels: { s: (_q, r) => r!.statusCode },
      }),
      metrics.summary('s_seconds', 'S', { percentiles: [0.5, 0.9], labels: { a: 'x' } }),
      ok,
    );
    await request(app).get('/h').expect(200);
    const text = await scrape(app);
    expect(sampleValue(text, 'h_seconds_bucket', { s: '200', le: '10' })).toBe(1);
    expect(sampleValue(text, 'h_seconds_count', { s: '200' })).toBe(1);
    expect(sampleValue(text, 's_seconds_count', { a: 'x' })).toBe(1);
    expect(findSamples(text, 's_seconds', { a: 'x' }).map((s) => s.labels.quantile)).toEqual([
      '0.5',
      '0.9',
    ]);
    expect(sampleValue(text, 'h_seconds_sum', { s: '200' })).toBeGreaterThan(0);
  });

  it('a throwing label function never breaks the request and is counted', async () => {
    const { app, metrics } = instrumentedApp();
    app.get(
      '/',
      metrics.counter('fragile_total', 'Fragile', {
        labels: {
          broken: () => {
            throw new Error('boom');
          },
        },
      }),
      ok,
    );
    await request(app).get('/').expect(200, 'ok');
    const text = await scrape(app);
    expect(sampleValue(text, 'fragile_total', { broken: '' })).toBe(1);
    expect(sampleValue(text, 'spectrometer_label_errors_total', { metric: 'fragile_total' })).toBe(
      1,
    );
  });

  it('one middleware shared by several routes records one series per label value', async () => {
    const { app, metrics } = instrumentedApp();
    const shared = metrics.counter('shared_total', 'Shared', {
      labels: { path: (req) => req.path },
    });
    app.get('/a', shared, ok);
    app.get('/b', shared, ok);
    await request(app).get('/a');
    await request(app).get('/b');
    await request(app).get('/b');
    const text = await scrape(app);
    expect(sampleValue(text, 'shared_total', { path: '/a' })).toBe(1);
    expect(sampleValue(text, 'shared_total', { path: '/b' })).toBe(2);
  });

  it('doNotTrack skips default metrics but keeps the route metrics', async () => {
    const { app, metrics } = instrumentedApp();
    app.get('/quiet', metrics.doNotTrack(), metrics.counter('quiet_total', 'Quiet'), ok);
    await request(app).get('/quiet').expect(200);
    const text = await scrape(app);
    expect(findSamples(text, 'express_http_request_total')).toEqual([]);
    expect(sampleValue(text, 'quiet_total')).toBe(1);
  });

  it('excludeAllMetrics skips every metric whatever the order, and rolls gauges back', async () => {
    const { app, metrics } = instrumentedApp();
    const gauge = metrics.gauge('g_in_progress', 'G');
    app.get('/hidden', gauge, metrics.counter('c_total', 'C'), metrics.excludeAllMetrics(), ok);
    await request(app).get('/hidden').expect(200);
    const text = await scrape(app);
    expect(findSamples(text, 'express_http_request_total')).toEqual([]);
    expect(sampleValue(text, 'c_total')).toBe(0);
    expect(sampleValue(text, 'g_in_progress')).toBe(0);
  });

  it('excludedPaths match from the start of the path and skip custom metrics too', async () => {
    const { app, metrics } = instrumentedApp({ excludedPaths: ['/int', /^\/health$/] });
    const counter = metrics.counter('custom_total', 'Custom');
    app.get('/internal', counter, ok);
    app.get('/health', counter, ok);
    app.get('/api/internal', counter, ok);
    await request(app).get('/internal').expect(200);
    await request(app).get('/health').expect(200);
    await request(app).get('/api/internal').expect(200);
    const text = await scrape(app);
    expect(sampleValue(text, 'express_http_request_total', { method: 'GET', status: '200' })).toBe(
      1,
    );
    expect(sampleValue(text, 'custom_total')).toBe(1);
  });

  it('excludeUserDefaults: false keeps custom metrics on excluded paths', async () => {
    const { app, metrics } = instrumentedApp({
      excludedPaths: '/internal',
      excludeUserDefaults: false,
    });
    app.get('/internal', metrics.counter('custom_total', 'Custom'), ok);
    await request(app).get('/internal').expect(200);
    const text = await scrape(app);
    expect(findSamples(text, 'express_http_request_total')).toEqual([]);
    expect(sampleValue(text, 'custom_total')).toBe(1);
  });

  it('registerDefault applies metrics to every route, registered before or after', async () => {
    const { app, metrics } = instrumentedApp();
    app.get('/before', ok);
    metrics.registerDefault(
      metrics.counter('by_path_total', 'By path', { labels: { path: (req) => req.path } }),
    );
    app.get('/after', ok);
    await request(app).get('/before');
    await request(app).get('/after');
    await scrape(app);
    const text = await scrape(app);
    expect(sampleValue(text, 'by_path_total', { path: '/before' })).toBe(1);
    expect(sampleValue(text, 'by_path_total', { path: '/after' })).toBe(1);
    expect(findSamples(text, 'by_path_total', { path: '/metrics' })).toEqual([]);
  });

  it('default labels are added to custom metrics and win over their own labels', async () => {
    const { app, metrics } = instrumentedApp({ defaultLabels: { service: 'shop' } });
    app.get('/', metrics.counter('c_total', 'C', { labels: { service: 'other', a: 'b' } }), ok);
    await request(app).get('/');
    expect(sampleValue(await scrape(app), 'c_total', { service: 'shop', a: 'b' })).toBe(1);
  });

  it('info sets a gauge to 1 and returns it for later changes', async () => {
    const { app, metrics } = instrumentedApp({ defaultLabels: { service: 'shop' } });
    const info = metrics.info('build_info', 'Build', { version: '1.2.3', commit: 'abc' });
    expect(sampleValue(await scrape(app), 'build_info', { version: '1.2.3', commit: 'abc' })).toBe(
      1,
    );
    info.set(5);
    expect(sampleValue(await scrape(app), 'build_info', { version: '1.2.3', commit: 'abc' })).toBe(
      5,
    );
    const bare = metrics.info('plain_info', 'Plain');
    bare.set(3);
    expect(sampleValue(await scrape(app), 'plain_info')).toBe(3);
  });

  describe('bad input fails at definition time, naming the value', () => {
    const { metrics } = instrumentedApp();
    it.each([
      [
        () => metrics.counter('bad name', 'x'),
        'SPM_INVALID_METRIC_NAME',
        /Invalid metric name: "bad name"/,
      ],
      [
        () => metrics.counter('ok_total', 'x', { labels: { 'bad-label': 'x' } }),
        'SPM_INVALID_LABEL_NAME',
        /"bad-label"/,
      ],
      [
        () => metrics.counter('ok_total', 'x', { labels: { __x: 'x' } }),
        'SPM_INVALID_LABEL_NAME',
        /"__x" is reserved/,
      ],
      [
        () => metrics.histogram('h', 'x', { labels: { le: 'x' } }),
        'SPM_INVALID_LABEL_NAME',
        /"le" is reserved/,
      ],
      [
        () => metrics.summary('s', 'x', { labels: { quantile: 'x' } }),
        'SPM_INVALID_LABEL_NAME',
        /"quantile" is reserved/,
      ],
      [
        () => metrics.counter('c1_total', 'x', { labels: ['a'] as never }),
        'SPM_INVALID_LABELS',
        /got array \["a"\]/,
      ],
      [
        () => metrics.counter('c2_total', 'x', { labels: 'a' as never }),
        'SPM_INVALID_LABELS',
        /got string "a"/,
      ],
      [
        () => metrics.counter('c3_total', 'x', { labels: { a: {} as never } }),
        'SPM_INVALID_LABELS',
        /Label "a" of c3_total/,
      ],
      [
        () => metrics.histogram('h2', 'x', { buckets: [1, 0.5] }),
        'SPM_INVALID_OPTION',
        /ascending.*\[1,0.5\]/,
      ],
      [() => metrics.counter('c4_total', ''), 'SPM_INVALID_OPTION', /help/],
      [
        () => metrics.registerDefault((() => undefined) as never),
        'SPM_INVALID_OPTION',
        /registerDefault/,
      ],
    ])('%#', (define, code, message) => {
      let error: unknown;
      try {
        define();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SpectrometerError);
      expect((error as SpectrometerError).code).toBe(code);
      expect((error as Error).message).toMatch(message);
    });

    it('reuses an agreeing definition and rejects a conflicting one', () => {
      const first = metrics.counter('twice_total', 'Twice', { labels: { a: 'x' } });
      const second = metrics.counter('twice_total', 'Twice', { labels: { a: 'y' } });
      expect(second.metric).toBe(first.metric);
      expect(() => metrics.gauge('twice_total', 'Twice')).toThrow(
        /Metric twice_total is already registered with a different definition: type "counter" vs "gauge"/,
      );
      expect(() => metrics.counter('twice_total', 'Twice', { labels: { b: 'x' } })).toThrow(
        /labelNames \["a"\] vs \["b"\]/,
      );
    });
  });
});
