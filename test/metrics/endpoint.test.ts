import express from 'express';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import request from 'supertest';
import { OPENMETRICS_TEXT, PROMETHEUS_TEXT, PrometheusMetrics, SpectrometerError } from '../../src';
import { findSamples, sampleValue } from '../helpers/exposition';
import { instrumentedApp } from '../helpers/apps';

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.2,*/*;q=0.1';

describe('metrics endpoint', () => {
  it('serves a custom path', async () => {
    const { app } = instrumentedApp({ path: '/internal/metrics' });
    await request(app).get('/metrics').expect(404);
    const res = await request(app).get('/internal/metrics').expect(200);
    expect(res.headers['content-type']).toBe(PROMETHEUS_TEXT);
    expect(res.text).toContain('# TYPE express_http_request_total counter');
  });

  it('path: null registers nothing; registerEndpoint adds it later', async () => {
    const { app, metrics } = instrumentedApp({ path: null });
    await request(app).get('/metrics').expect(404);
    metrics.registerEndpoint('/stats');
    await request(app).get('/stats').expect(200);
    const other = express();
    metrics.registerEndpoint('/m', other);
    await request(other).get('/m').expect(200);
  });

  it('registerEndpoint without any app is an error', () => {
    const metrics = PrometheusMetrics.forAppFactory({
      registry: new Registry(),
      processMetrics: false,
    });
    expect(() => metrics.registerEndpoint('/metrics')).toThrow(SpectrometerError);
    expect(() => metrics.registerEndpoint('/metrics')).toThrow(/needs an app/);
  });

  it('metricsMiddleware guards the endpoint; rejected scrapes are tracked, accepted ones are not', async () => {
    const basicAuth: express.RequestHandler = (req, res, next) => {
      if (req.headers.authorization === `Basic ${Buffer.from('u:p').toString('base64')}`)
        return next();
      res.status(401).set('WWW-Authenticate', 'Basic').end();
    };
    const { app } = instrumentedApp({ metricsMiddleware: basicAuth });
    await request(app).get('/metrics').expect(401);
    const res = await request(app).get('/metrics').auth('u', 'p').expect(200);
    expect(
      sampleValue(res.text, 'express_http_request_total', { method: 'GET', status: '401' }),
    ).toBe(1);
    expect(
      sampleValue(res.text, 'express_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/metrics',
        status: '401',
      }),
    ).toBe(1);
    expect(findSamples(res.text, 'express_http_request_total', { status: '200' })).toEqual([]);
  });

  it('filters by family or sample name with ?name[]=', async () => {
    const { app } = instrumentedApp();
    await request(app).get('/x').expect(404);
    const families = await request(app)
      .get('/metrics?name[]=express_http_request_total&name[]=express_exporter_info')
      .expect(200);
    expect(families.text).toContain('express_http_request_total{');
    expect(families.text).toContain('express_exporter_info{');
    expect(families.text).not.toContain('duration');
    const samples = await request(app)
      .get('/metrics?name[]=express_http_request_duration_seconds_count')
      .expect(200);
    expect(findSamples(samples.text, 'express_http_request_duration_seconds_count')).toHaveLength(
      1,
    );
    expect(findSamples(samples.text, 'express_http_request_duration_seconds_bucket')).toEqual([]);
  });

  it('answers OpenMetrics when Accept asks for it, and text again afterwards', async () => {
    const { app } = instrumentedApp();
    await request(app).get('/x').expect(404);
    const text1 = await request(app).get('/metrics').expect(200);
    const open = await request(app).get('/metrics').set('Accept', PROMETHEUS_ACCEPT).expect(200);
    const text2 = await request(app).get('/metrics').set('Accept', 'text/plain').expect(200);

    expect(text1.headers['content-type']).toBe(PROMETHEUS_TEXT);
    expect(open.headers['content-type']).toBe(OPENMETRICS_TEXT);
    expect(text2.headers['content-type']).toBe(PROMETHEUS_TEXT);

    expect(open.text.endsWith('# EOF\n')).toBe(true);
    expect(open.text).toContain('# TYPE express_http_request counter');
    expect(
      sampleValue(open.text, 'express_http_request_total', { method: 'GET', status: '404' }),
    ).toBe(1);
    for (const text of [text1.text, text2.text]) {
      expect(text).toContain('# TYPE express_http_request_total counter');
      expect(text).not.toContain('# EOF');
      expect(
        sampleValue(text, 'express_http_request_total', { method: 'GET', status: '404' }),
      ).toBe(1);
    }
  });

  it("keeps the registry's own default labels (registry.setDefaultLabels)", async () => {
    const { app, registry } = instrumentedApp();
    registry.setDefaultLabels({ pod: 'p1' });
    await request(app).get('/x').expect(404);
    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(
      sampleValue(text, 'express_http_request_duration_seconds_bucket', {
        le: '+Inf',
        method: 'GET',
        route: '__unmatched__',
        status: '404',
        pod: 'p1',
      }),
    ).toBe(1);
  });

  it('renders every line of a histogram series with its labels', async () => {
    const { app } = instrumentedApp({ buckets: [0.5] });
    await request(app).get('/a').expect(404);
    await request(app).get('/b').expect(404);
    const text = (await request(app).get('/metrics').expect(200)).text;
    const lines = text
      .split('\n')
      .filter((l) => l.startsWith('express_http_request_duration_seconds'));
    expect(lines.map((l) => l.replace(/ [0-9.e+-]+$/, ''))).toEqual([
      'express_http_request_duration_seconds_bucket{le="0.5",method="GET",route="__unmatched__",status="404"}',
      'express_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="__unmatched__",status="404"}',
      'express_http_request_duration_seconds_sum{method="GET",route="__unmatched__",status="404"}',
      'express_http_request_duration_seconds_count{method="GET",route="__unmatched__",status="404"}',
    ]);
  });

  it('generateMetrics renders text or OpenMetrics and filters names', async () => {
    const { metrics } = instrumentedApp();
    const text = await metrics.generateMetrics();
    expect(text.contentType).toBe(PROMETHEUS_TEXT);
    const open = await metrics.generateMetrics({
      accept: 'application/openmetrics-text',
      names: ['express_exporter_info'],
    });
    expect(open.contentType).toBe(OPENMETRICS_TEXT);
    expect(open.body).toBe(
      '# TYPE express_exporter_info gauge\n# HELP express_exporter_info Information about the spectrometer Prometheus exporter\nexpress_exporter_info{version="0.1.0"} 1\n# EOF\n',
    );
  });

  it('startHttpServer serves the metrics on their own port, host and path, untracked', async () => {
    const { metrics, app } = instrumentedApp({ path: null });
    app.get('/', (_req, res) => {
      res.send('hi');
    });
    await request(app).get('/').expect(200);
    const server = await metrics.startHttpServer(0, { host: '127.0.0.1', path: '/m' });
    try {
      const { port, address } = server.address() as AddressInfo;
      expect(address).toBe('127.0.0.1');
      const base = `http://127.0.0.1:${port}`;
      const res = await request(base).get('/m').expect(200);
      expect(
        sampleValue(res.text, 'express_http_request_total', { method: 'GET', status: '200' }),
      ).toBe(1);
      await request(base).get('/metrics').expect(404);
      const again = await request(base).get('/m').expect(200);
      expect(findSamples(again.text, 'express_http_request_total')).toHaveLength(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('startHttpServer rejects when the port is taken', async () => {
    const { metrics } = instrumentedApp({ path: null });
    const first = await metrics.startHttpServer(0, { host: '127.0.0.1' });
    const { port } = first.address() as AddressInfo;
    await expect(metrics.startHttpServer(port, { host: '127.0.0.1' })).rejects.toThrow(
      /EADDRINUSE/,
    );
    await new Promise((resolve) => first.close(resolve));
  });
});
