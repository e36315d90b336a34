import express, { type Request, type Response } from 'express';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import request from 'supertest';
import { PrometheusMetrics, SpectrometerError } from '../../src';
import { createApi } from '../../src/api';
import { findSamples, parseSamples, sampleValue } from '../helpers/exposition';
import { instrumentedApp, scrape } from '../helpers/apps';
import { promtoolCheckMetrics } from '../helpers/promtool';

const ok = (_req: Request, res: Response) => {
  res.end('ok');
};

const quietLogger = () => ({ warn: jest.fn<void, [string]>() });

// Sends GET `path(i)` for every i < count: HTTP/1.1 pipelined in batches over a few raw
// connections, so the client costs little next to the server. Every response must be a 200.
async function sendMany(
  server: Server,
  count: number,
  path: (i: number) => string,
  headers: (i: number) => string = () => '',
  connections = 4,
  batch = 200,
): Promise<void> {
  const { port } = server.address() as AddressInfo;
  let next = 0;
  const connection = () =>
    new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let pending = 0;
      let tail = '';
      const sendBatch = (): void => {
        if (next >= count) {
          socket.end(resolve);
          return;
        }
        let text = '';
        for (let n = 0; n < batch && next < count; n++, next++, pending++) {
          text += `GET ${path(next)} HTTP/1.1\r\nHost: x\r\n${headers(next)}\r\n`;
        }
        socket.write(text);
      };
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string): void => {
        // Status lines follow the previous body directly, so they are searched, not split.
        const text = tail + chunk;
        const status = /HTTP\/1\.1 (\d{3}) /g;
        let consumed = 0;
        for (let match = status.exec(text); match; match = status.exec(text)) {
          consumed = status.lastIndex;
          if (match[1] !== '200') {
            reject(new Error(`status ${match[1]}`));
            return;
          }
          if (--pending === 0) sendBatch();
        }
        tail = text.slice(Math.max(consumed, text.length - 12));
      });
      socket.on('error', reject);
      socket.on('connect', sendBatch);
    });
  await Promise.all(Array.from({ length: connections }, connection));
}

function listen(app: express.Application): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const labelSets = (text: string, name: string) =>
  findSamples(text, name).map((s) => JSON.stringify(s.labels));
const total = (text: string, name: string) =>
  findSamples(text, name).reduce((sum, s) => sum + s.value, 0);

describe('series limit', () => {
  it('keeps 100,000 distinct label values through a real app to 2,001 label sets with exact totals', async () => {
    const logger = quietLogger();
    const { app, metrics } = instrumentedApp({ groupBy: 'path', logger });
    metrics.registerDefault(
      metrics.counter('by_client_total', 'By client', {
        labels: { client: (req) => req.get('x-client') ?? '', team: 'a' },
      }),
    );
    app.get('/items/:id', ok);
    const server = await listen(app);
    const count = 100_000;
    try {
      await sendMany(
        server,
        count,
        (i) => `/items/${i}`,
        (i) => `X-Client: c${i}\r\n`,
      );
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const text = await scrape(app);
    const durations = labelSets(text, 'express_http_request_duration_seconds_count');
    expect(durations).toHaveLength(2001);
    expect(new Set(durations).size).toBe(2001);
    expect(total(text, 'express_http_request_duration_seconds_count')).toBe(count);
    expect(
      sampleValue(text, 'express_http_request_duration_seconds_count', {
        method: '__overflow__',
        path: '__overflow__',
        status: '__overflow__',
      }),
    ).toBe(count - 2000);
    expect(labelSets(text, 'by_client_total')).toHaveLength(2001);
    expect(total(text, 'by_client_total')).toBe(count);
    // The fixed label keeps its value in the overflow series.
    expect(sampleValue(text, 'by_client_total', { client: '__overflow__', team: 'a' })).toBe(
      count - 2000,
    );
    expect(sampleValue(text, 'express_http_request_total', { method: 'GET', status: '200' })).toBe(
      count,
    );
    const overflow = 'spectrometer_series_overflow_total';
    expect(sampleValue(text, overflow, { metric: 'express_http_request_duration_seconds' })).toBe(
      count - 2000,
    );
    expect(sampleValue(text, overflow, { metric: 'by_client_total' })).toBe(count - 2000);
    expect(findSamples(text, overflow)).toHaveLength(2);
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(parseSamples(text).length).toBeLessThan(2001 * 20);
  }, 120_000);

  it('keeps counting existing series once the metric is full, and logs one warning per metric', async () => {
    const logger = quietLogger();
    const { app, metrics } = instrumentedApp({ exportDefaults: false, logger });
    const byId = metrics.counter('views_total', 'Views', {
      labels: { id: (req) => req.params.id as string },
      maxSeries: 2,
    });
    app.get('/items/:id', byId, ok);
    for (const id of ['a', 'b', 'c', 'd', 'a', 'b', 'e']) await request(app).get(`/items/${id}`);
    const text = await scrape(app);
    expect(sampleValue(text, 'views_total', { id: 'a' })).toBe(2);
    expect(sampleValue(text, 'views_total', { id: 'b' })).toBe(2);
    expect(sampleValue(text, 'views_total', { id: '__overflow__' })).toBe(3);
    expect(sampleValue(text, 'views_total', { id: 'c' })).toBeUndefined();
    expect(sampleValue(text, 'spectrometer_series_overflow_total', { metric: 'views_total' })).toBe(
      3,
    );
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]?.[0]).toMatch(
      /^spectrometer: metric views_total reached its limit of 2 label sets \(maxSeries\); .*"__overflow__".*spectrometer_series_overflow_total\{metric="views_total"\}/,
    );
  });

  it("takes the exporter's maxSeries for every metric, default metrics included, and a metric's own first", async () => {
    const logger = quietLogger();
    const { app, metrics } = instrumentedApp({ groupBy: 'path', maxSeries: 3, logger });
    const wide = metrics.counter('wide_total', 'Wide', {
      labels: { p: (req) => req.path },
      maxSeries: 10,
    });
    const narrow = metrics.histogram('narrow_seconds', 'Narrow', {
      labels: { p: (req) => req.path },
      buckets: [1],
    });
    app.get('/x/:id', wide, narrow, ok);
    for (let i = 0; i < 8; i++) await request(app).get(`/x/${i}`).expect(200);
    const text = await scrape(app);
    expect(labelSets(text, 'wide_total')).toHaveLength(8);
    expect(labelSets(text, 'narrow_seconds_count')).toHaveLength(4);
    expect(labelSets(text, 'express_http_request_duration_seconds_count')).toHaveLength(4);
    expect(total(text, 'narrow_seconds_count')).toBe(8);
  });

  it('keeps fixed default labels in the overflow series; labels computed per request are __overflow__', async () => {
    const { app, metrics } = instrumentedApp({
      exportDefaults: false,
      logger: quietLogger(),
      defaultLabels: { service: 'shop', region: (req) => req.get('x-region') ?? 'eu' },
    });
    app.get(
      '/items/:id',
      metrics.counter('items_total', 'Items', {
        labels: { id: (req) => req.params.id as string },
        maxSeries: 1,
      }),
      ok,
    );
    await request(app).get('/items/1').set('x-region', 'us');
    await request(app).get('/items/2').set('x-region', 'us');
    await request(app).get('/items/3').set('x-region', 'asia');
    const text = await scrape(app);
    expect(sampleValue(text, 'items_total', { id: '1', service: 'shop', region: 'us' })).toBe(1);
    expect(
      sampleValue(text, 'items_total', {
        id: '__overflow__',
        service: 'shop',
        region: '__overflow__',
      }),
    ).toBe(2);
    expect(labelSets(text, 'items_total')).toHaveLength(2);
  });

  it('brings an in-progress gauge of the overflow series back to 0', async () => {
    const { app, metrics } = instrumentedApp({ exportDefaults: false, logger: quietLogger() });
    const running = metrics.gauge('running', 'Running', {
      labels: { id: (req) => req.params.id as string },
      maxSeries: 1,
    });
    app.get('/items/:id', running, ok);
    for (const id of ['1', '2', '3']) await request(app).get(`/items/${id}`);
    const text = await scrape(app);
    expect(sampleValue(text, 'running', { id: '1' })).toBe(0);
    expect(sampleValue(text, 'running', { id: '__overflow__' })).toBe(0);
    expect(sampleValue(text, 'spectrometer_series_overflow_total', { metric: 'running' })).toBe(2);
  });

  it('admits new label sets again after the registry is reset', async () => {
    const { app, metrics, registry } = instrumentedApp({
      exportDefaults: false,
      logger: quietLogger(),
    });
    app.get(
      '/items/:id',
      metrics.counter('ids_total', 'Ids', {
        labels: { id: (req) => req.params.id as string },
        maxSeries: 1,
      }),
      ok,
    );
    await request(app).get('/items/1');
    await request(app).get('/items/2');
    registry.resetMetrics();
    await request(app).get('/items/3');
    const text = await scrape(app);
    expect(sampleValue(text, 'ids_total', { id: '3' })).toBe(1);
    expect(sampleValue(text, 'ids_total', { id: '__overflow__' })).toBeUndefined();
  });

  it('shares one limit between exporters of one registry', async () => {
    const registry = new Registry();
    const logger = quietLogger();
    const [first, second] = [express(), express()];
    for (const app of [first, second]) {
      new PrometheusMetrics(app, {
        registry,
        processMetrics: false,
        groupBy: 'path',
        maxSeries: 2,
        logger,
      });
      app.get('/p/:id', ok);
    }
    await request(first).get('/p/1');
    await request(second).get('/p/2');
    await request(second).get('/p/3');
    const text = await registry.metrics();
    expect(labelSets(text, 'express_http_request_duration_seconds_count')).toHaveLength(3);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('refuses a maxSeries that is not a positive integer', () => {
    for (const maxSeries of [0, -1, 1.5, '10', Infinity]) {
      expect(() => instrumentedApp({ maxSeries: maxSeries as number })).toThrow(
        expect.objectContaining({ code: 'SPM_INVALID_OPTION' }),
      );
    }
    const { metrics } = instrumentedApp();
    expect(() => metrics.counter('c_total', 'C', { maxSeries: 0 })).toThrow(SpectrometerError);
    expect(() => instrumentedApp({ logger: {} as never })).toThrow(/Option "logger" must be/);
  });

  it('passes promtool with overflow series', async () => {
    const { app, metrics } = instrumentedApp({
      groupBy: 'path',
      maxSeries: 2,
      logger: quietLogger(),
    });
    app.get(
      '/items/:id',
      metrics.histogram('item_seconds', 'Item time', {
        labels: { id: (req) => req.params.id as string },
        buckets: [0.1, 1],
      }),
      ok,
    );
    for (const id of ['1', '2', '3', '4']) await request(app).get(`/items/${id}`);
    const result = promtoolCheckMetrics(await scrape(app));
    if (result) expect(result).toEqual({ status: 0, output: '' });
  });
});

describe('series limit in createApi', () => {
  const spec = (documentMax?: number, metricMax?: number) => ({
    openapi: '3.0.3',
    info: { title: 'limits', version: '1' },
    'x-metrics': {
      ...(documentMax ? { maxSeries: documentMax } : {}),
      groupBy: 'operation',
    },
    paths: {
      '/items/{id}': {
        get: {
          operationId: 'getItem',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          'x-metrics': {
            metrics: [
              {
                name: 'item_reads_total',
                type: 'counter',
                help: 'Item reads by id',
                labels: { id: 'path.id' },
                ...(metricMax ? { maxSeries: metricMax } : {}),
              },
              {
                name: 'item_by_client_total',
                type: 'counter',
                help: 'Item reads by client',
                labels: { client: { from: 'header.x-client', values: ['web', 'app'] } },
              },
            ],
          },
          responses: {
            '200': { description: 'ok', content: { 'text/plain': { schema: { type: 'string' } } } },
          },
        },
      },
    },
  });

  async function boot(documentMax?: number, metricMax?: number) {
    const registry = new Registry();
    const logger = quietLogger();
    const api = await createApi({
      spec: spec(documentMax, metricMax),
      handlers: { getItem: () => 'ok' },
      metrics: { registry, processMetrics: false },
      logger,
    });
    for (let i = 0; i < 6; i++) await request(api.app).get(`/items/${i}`).expect(200);
    return { text: await registry.metrics(), logger };
  }

  it("takes x-metrics' document-level maxSeries, and logs through createApi's logger", async () => {
    const { text, logger } = await boot(4);
    expect(labelSets(text, 'item_reads_total')).toHaveLength(5);
    expect(sampleValue(text, 'item_reads_total', { id: '__overflow__' })).toBe(2);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('metric item_reads_total reached its limit of 4'),
    );
  });

  it("takes a metric's own maxSeries over the document's", async () => {
    const { text } = await boot(4, 2);
    expect(labelSets(text, 'item_reads_total')).toHaveLength(3);
    expect(total(text, 'item_reads_total')).toBe(6);
  });
});
