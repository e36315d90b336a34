import express from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { PrometheusMetrics, monitor } from '../../src';
import { sampleValue } from '../helpers/exposition';
import type { AddressInfo } from 'node:net';

function createApp(metrics: PrometheusMetrics) {
  const app = express();
  metrics.initApp(app);
  app.get('/hello', metrics.counter('hello_total', 'Hellos'), (_req, res) => {
    res.send('hello');
  });
  return app;
}

describe('app factories and several exporters', () => {
  it('forAppFactory + initApp instruments one or several apps with shared metrics', async () => {
    const metrics = PrometheusMetrics.forAppFactory({
      registry: new Registry(),
      processMetrics: false,
    });
    const first = createApp(metrics);
    const second = createApp(metrics);
    await request(first).get('/hello').expect(200);
    await request(second).get('/hello').expect(200);
    await request(second).get('/hello').expect(200);
    const text = (await request(first).get('/metrics').expect(200)).text;
    expect(sampleValue(text, 'hello_total')).toBe(3);
    expect(sampleValue(text, 'express_http_request_total', { method: 'GET', status: '200' })).toBe(
      3,
    );
    expect((await request(second).get('/metrics').expect(200)).text).toBe(text);
  });

  it('initApp twice on one app counts each request once', async () => {
    const metrics = PrometheusMetrics.forAppFactory({
      registry: new Registry(),
      processMetrics: false,
    });
    const app = express();
    metrics.initApp(app);
    metrics.initApp(app);
    await request(app).get('/x').expect(404);
    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(sampleValue(text, 'express_http_request_total', { method: 'GET', status: '404' })).toBe(
      1,
    );
  });

  it('a second exporter on the same registry reuses the metrics instead of failing', async () => {
    const registry = new Registry();
    const makeApp = () => {
      const app = express();
      const metrics = new PrometheusMetrics(app, { registry });
      app.get('/x', metrics.counter('x_total', 'X', { labels: { a: 'b' } }), (_req, res) => {
        res.send('x');
      });
      return app;
    };
    const one = makeApp();
    const two = makeApp();
    await request(one).get('/x').expect(200);
    await request(two).get('/x').expect(200);
    const text = (await request(two).get('/metrics')).text;
    expect(sampleValue(text, 'x_total', { a: 'b' })).toBe(2);
    expect(sampleValue(text, 'express_http_request_total', { method: 'GET', status: '200' })).toBe(
      2,
    );
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('a second exporter on the registry keeps the data of series that start at 0', async () => {
    const registry = new Registry();
    const first = PrometheusMetrics.forAppFactory({ registry, processMetrics: false });
    const app = express();
    first.initApp(app);
    app.get('/', first.histogram('kept_seconds', 'Kept', { labels: { a: 'b' } }), (_req, res) => {
      res.send('ok');
    });
    await request(app).get('/').expect(200);
    const second = PrometheusMetrics.forAppFactory({ registry, processMetrics: false });
    second.histogram('kept_seconds', 'Kept', { labels: { a: 'b' } });
    const { body } = await second.generateMetrics();
    expect(sampleValue(body, 'kept_seconds_count', { a: 'b' })).toBe(1);
  });

  it('a conflicting definition on the same registry is an error naming the metric', () => {
    const registry = new Registry();
    new PrometheusMetrics(express(), { registry, processMetrics: false });
    expect(
      () =>
        new PrometheusMetrics(express(), {
          registry,
          processMetrics: false,
          defaultLatencyAsHistogram: false,
        }),
    ).toThrow(
      /express_http_request_duration_seconds is already registered .*type "histogram" vs "summary"/,
    );
  });

  it('works on Express 4', async () => {
    const express4 = require('express4') as typeof express;
    const app = express4();
    const metrics = new PrometheusMetrics(app, { registry: new Registry(), processMetrics: false });
    const router = express4.Router();
    router.get('/:id', metrics.counter('e4_total', 'E4'), (req, res) => {
      res.json({ id: req.params.id });
    });
    app.use('/items', router);
    app.get('/fail', (_req, _res, next) => next(new Error('x')));
    app.set('env', 'test');
    await request(app).get('/items/3').expect(200);
    await request(app).get('/fail').expect(500);
    await request(app).get('/none').expect(404);
    const text = (await request(app).get('/metrics').expect(200)).text;
    const D = 'express_http_request_duration_seconds_count';
    expect(sampleValue(text, D, { method: 'GET', route: '/items/:id', status: '200' })).toBe(1);
    expect(sampleValue(text, D, { method: 'GET', route: '__unmatched__', status: '404' })).toBe(1);
    expect(
      sampleValue(text, 'express_http_request_exceptions_total', { method: 'GET', status: '500' }),
    ).toBe(1);
    expect(sampleValue(text, 'e4_total')).toBe(1);
  });

  it('monitor serves the default metrics on a side port only', async () => {
    const app = express();
    app.get('/', (_req, res) => {
      res.send('home');
    });
    const { server, metrics } = await monitor(app, {
      port: 0,
      host: '127.0.0.1',
      registry: new Registry(),
      processMetrics: false,
    });
    try {
      await request(app).get('/').expect(200);
      await request(app).get('/metrics').expect(404);
      const { port } = server.address() as AddressInfo;
      const text = (await request(`http://127.0.0.1:${port}`).get('/metrics').expect(200)).text;
      expect(
        sampleValue(text, 'express_http_request_total', { method: 'GET', status: '200' }),
      ).toBe(1);
      expect(
        sampleValue(text, 'express_http_request_total', { method: 'GET', status: '404' }),
      ).toBe(1);
      expect(metrics.registry).toBeInstanceOf(Registry);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects unknown options and wrong types, naming the value', () => {
    expect(() => new PrometheusMetrics(null, { group_by: 'path' } as never)).toThrow(
      'Unknown PrometheusMetrics option "group_by"',
    );
    expect(() => new PrometheusMetrics(null, { path: 'metrics' })).toThrow(
      `Option "path" must be null or a path starting with '/', got "metrics"`,
    );
    expect(() => new PrometheusMetrics(null, { excludedPaths: ['('] })).toThrow(
      /excludedPaths.*"\("/,
    );
    expect(() => new PrometheusMetrics(null, { defaultsPrefix: 'bad-prefix' })).toThrow(
      /"bad-prefix"/,
    );
    expect(() => new PrometheusMetrics(null, { defaultLabels: { x: [] as never } })).toThrow(
      /Label "x"/,
    );
  });
});
