import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { NO_PREFIX, VERSION } from '../../src';
import { findSamples, sampleValue } from '../helpers/exposition';
import { instrumentedApp, scrape, settle } from '../helpers/apps';
import { onlyOnExpress5 } from '../helpers/express-version';

const D = 'express_http_request_duration_seconds';
const T = 'express_http_request_total';
const E = 'express_http_request_exceptions_total';

describe('default metrics', () => {
  it('records duration, total and exporter info with the exact names and labels', async () => {
    const { app } = instrumentedApp();
    app.get('/pets/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    await request(app).get('/pets/1').expect(200);
    await request(app).get('/pets/2').expect(200);
    const text = await scrape(app);
    const labels = { method: 'GET', route: '/pets/:id', status: '200' };
    expect(sampleValue(text, `${D}_count`, labels)).toBe(2);
    expect(sampleValue(text, `${D}_bucket`, { ...labels, le: '+Inf' })).toBe(2);
    expect(sampleValue(text, T, { method: 'GET', status: '200' })).toBe(2);
    expect(sampleValue(text, 'express_exporter_info', { version: VERSION })).toBe(1);
    expect(findSamples(text, E)).toEqual([]);
    expect(text).toContain(`# TYPE ${D} histogram`);
    expect(text).toContain(`# TYPE ${T} counter`);
  });

  it('counts 404s once, labelled __unmatched__', async () => {
    const { app } = instrumentedApp();
    await request(app).get('/nope/1').expect(404);
    await request(app).post('/nope/2').expect(404);
    const text = await scrape(app);
    expect(
      sampleValue(text, `${D}_count`, { method: 'GET', route: '__unmatched__', status: '404' }),
    ).toBe(1);
    expect(
      sampleValue(text, `${D}_count`, { method: 'POST', route: '__unmatched__', status: '404' }),
    ).toBe(1);
    expect(sampleValue(text, T, { method: 'GET', status: '404' })).toBe(1);
  });

  it('does not create a series per random URL', async () => {
    const { app } = instrumentedApp();
    for (let i = 0; i < 20; i++) await request(app).get(`/scan/${i}/${Math.random()}`).expect(404);
    const text = await scrape(app);
    expect(findSamples(text, `${D}_count`)).toHaveLength(1);
    expect(
      sampleValue(text, `${D}_count`, { method: 'GET', route: '__unmatched__', status: '404' }),
    ).toBe(20);
  });

  it('counts a 4xx sent by middleware before any route', async () => {
    const { app } = instrumentedApp();
    app.use((req, res, next) => {
      if (req.headers['x-valid'] !== 'yes') {
        res.status(400).json({ error: 'invalid' });
        return;
      }
      next();
    });
    app.post('/items', (_req, res) => {
      res.status(201).end();
    });
    await request(app).post('/items').expect(400);
    await request(app).post('/items').set('x-valid', 'yes').expect(201);
    const text = await scrape(app);
    expect(sampleValue(text, T, { method: 'POST', status: '400' })).toBe(1);
    expect(sampleValue(text, T, { method: 'POST', status: '201' })).toBe(1);
    expect(
      sampleValue(text, `${D}_count`, { method: 'POST', route: '/items', status: '201' }),
    ).toBe(1);
  });

  async function expectOneException(handler: express.RequestHandler): Promise<void> {
    const { app } = instrumentedApp();
    app.set('env', 'test');
    app.get('/fail', handler);
    await request(app).get('/fail').expect(500);
    const text = await scrape(app);
    expect(sampleValue(text, E, { method: 'GET', status: '500' })).toBe(1);
    expect(sampleValue(text, T, { method: 'GET', status: '500' })).toBe(1);
    expect(sampleValue(text, `${D}_count`, { method: 'GET', route: '/fail', status: '500' })).toBe(
      1,
    );
  }

  it.each([
    [
      'a sync throw',
      (_req: express.Request) => {
        throw new Error('sync');
      },
    ],
    [
      'next(err)',
      (_req: express.Request, _res: express.Response, next: express.NextFunction) => {
        next(new Error('next'));
      },
    ],
  ])('counts %s as an exception with status 500, once', async (_name, handler) => {
    await expectOneException(handler as express.RequestHandler);
  });

  onlyOnExpress5(
    'Express 4 leaves a rejected promise of a plain route handler unhandled: the request never ends',
  ).it('counts an async rejection as an exception with status 500, once', async () => {
    await expectOneException(async () => {
      await Promise.resolve();
      throw new Error('async');
    });
  });

  it('does not count errors handled by an error middleware as exceptions', async () => {
    const { app } = instrumentedApp();
    app.get('/fail', () => {
      throw new Error('handled');
    });
    app.use(
      (
        _err: unknown,
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        res.status(503).send('sorry');
      },
    );
    await request(app).get('/fail').expect(503);
    const text = await scrape(app);
    expect(findSamples(text, E)).toEqual([]);
    expect(sampleValue(text, T, { method: 'GET', status: '503' })).toBe(1);
  });

  it('records errors with a 4xx status (next(createError(404))) with that status, not as exceptions', async () => {
    const { app } = instrumentedApp();
    app.set('env', 'test');
    app.get('/gone', (_req, _res, next) => next(Object.assign(new Error('gone'), { status: 410 })));
    await request(app).get('/gone').expect(410);
    const text = await scrape(app);
    expect(findSamples(text, E)).toEqual([]);
    expect(sampleValue(text, T, { method: 'GET', status: '410' })).toBe(1);
  });

  it('records a request aborted by the client once, with status 499', async () => {
    const { app } = instrumentedApp();
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const closed = new Promise<void>((resolve) => {
      app.get('/slow', (_req, res) => {
        res.on('close', () => resolve());
        arrived();
      });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const client = http.get({ host: '127.0.0.1', port, path: '/slow' });
    client.on('error', () => undefined);
    await arrival;
    client.destroy();
    await closed;
    await settle();
    const text = await scrape(app);
    server.close();
    expect(sampleValue(text, T, { method: 'GET', status: '499' })).toBe(1);
    expect(sampleValue(text, `${D}_count`, { method: 'GET', route: '/slow', status: '499' })).toBe(
      1,
    );
    expect(findSamples(text, T)).toHaveLength(1);
  });

  it('does not track the metrics endpoint', async () => {
    const { app } = instrumentedApp();
    await scrape(app);
    await scrape(app);
    const text = await scrape(app);
    expect(findSamples(text, T)).toEqual([]);
    expect(findSamples(text, `${D}_count`)).toEqual([]);
  });

  it('uses defaultsPrefix, NO_PREFIX and summaries', async () => {
    const custom = instrumentedApp({ defaultsPrefix: 'shop' });
    await request(custom.app).get('/x').expect(404);
    expect(
      sampleValue(await scrape(custom.app), 'shop_http_request_total', {
        method: 'GET',
        status: '404',
      }),
    ).toBe(1);

    const bare = instrumentedApp({ defaultsPrefix: NO_PREFIX, defaultLatencyAsHistogram: false });
    await request(bare.app).get('/x').expect(404);
    const text = await scrape(bare.app);
    expect(sampleValue(text, 'http_request_total', { method: 'GET', status: '404' })).toBe(1);
    expect(text).toContain('# TYPE http_request_duration_seconds summary');
    expect(
      sampleValue(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '__unmatched__',
        status: '404',
      }),
    ).toBe(1);
    expect(sampleValue(text, 'exporter_info', { version: VERSION })).toBe(1);
  });

  it('uses the given buckets for the latency histogram', async () => {
    const { app } = instrumentedApp({ buckets: [0.1, 5] });
    await request(app).get('/x').expect(404);
    const buckets = findSamples(await scrape(app), `${D}_bucket`).map((s) => s.labels.le);
    expect(buckets).toEqual(['0.1', '5', '+Inf']);
  });

  it('adds static and per-request default labels to the request metrics', async () => {
    const { app } = instrumentedApp({
      defaultLabels: {
        service: 'shop',
        tenant: (req) => String(req.headers['x-tenant'] ?? 'none'),
      },
    });
    app.get('/a', (_req, res) => {
      res.send('a');
    });
    await request(app).get('/a').set('x-tenant', 'acme').expect(200);
    const text = await scrape(app);
    expect(
      sampleValue(text, T, { method: 'GET', status: '200', service: 'shop', tenant: 'acme' }),
    ).toBe(1);
    expect(
      sampleValue(text, `${D}_count`, {
        method: 'GET',
        route: '/a',
        status: '200',
        service: 'shop',
        tenant: 'acme',
      }),
    ).toBe(1);
    expect(sampleValue(text, 'express_exporter_info', { version: VERSION })).toBe(1);
  });

  it('records nothing by default when exportDefaults is false', async () => {
    const { app } = instrumentedApp({ exportDefaults: false });
    await request(app).get('/x').expect(404);
    const text = await scrape(app);
    expect(findSamples(text, T)).toEqual([]);
    expect(text).not.toContain('exporter_info');
  });

  it('tracks requests answered before the exporter was attached', async () => {
    const app = express();
    app.use((_req, res) => {
      res.status(403).end();
    });
    const { PrometheusMetrics } = await import('../../src');
    const { Registry } = await import('prom-client');
    const registry = new Registry();
    const metrics = new PrometheusMetrics(app, { registry, processMetrics: false, path: null });
    await request(app).get('/anything').expect(403);
    const { body } = await metrics.generateMetrics();
    expect(sampleValue(body, T, { method: 'GET', status: '403' })).toBe(1);
  });
});
