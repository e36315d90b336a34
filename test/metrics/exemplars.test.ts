import type { Application } from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src';
import { readTraceparent } from '../../src/metrics/trace-context';
import { instrumentedApp } from '../helpers/apps';
import { parseOpenMetrics } from '../helpers/openmetrics';
import { promtoolCheckMetrics } from '../helpers/promtool';

// DESIGN §11: OpenMetrics scrapes carry the trace of a request on the bucket it fell in (and on
// counters); text scrapes are unchanged.

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE}-${SPAN}-01`;

async function scrape(app: Application, openMetrics = true): Promise<string> {
  const res = await request(app)
    .get('/metrics')
    .set('Accept', openMetrics ? OPENMETRICS : 'text/plain');
  return res.text;
}

function exemplarLines(text: string): string[] {
  return text.split('\n').filter((line) => line.includes(' # {'));
}

describe('exemplars', () => {
  it('puts the traceparent of a request on the duration bucket it fell in, in OpenMetrics only', async () => {
    const { app } = instrumentedApp({ buckets: [0.5, 10] });
    app.get('/pets/:id', (_req, res) => res.send('ok'));
    await request(app).get('/pets/1').set('traceparent', TRACEPARENT).expect(200);
    await request(app).get('/pets/2').expect(200); // no trace: no exemplar
    const open = await scrape(app);
    const lines = exemplarLines(open);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^express_http_request_duration_seconds_bucket\\{le="0\\.5",method="GET",route="/pets/:id",status="200"\\} 2 # \\{trace_id="${TRACE}",span_id="${SPAN}"\\} [0-9.e-]+ \\d+(\\.\\d+)?$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^express_http_request_total\\{method="GET",status="200"\\} 2 # \\{trace_id="${TRACE}",span_id="${SPAN}"\\} 1 `,
        ),
      ),
    ]);
    const samples = parseOpenMetrics(open);
    if (samples) {
      expect(samples.filter((s) => s.exemplar).map((s) => [s.name, s.exemplar?.labels])).toEqual([
        ['express_http_request_duration_seconds_bucket', { trace_id: TRACE, span_id: SPAN }],
        ['express_http_request_total', { trace_id: TRACE, span_id: SPAN }],
      ]);
    }
    const text = await scrape(app, false);
    expect(exemplarLines(text)).toEqual([]);
    const result = promtoolCheckMetrics(text);
    if (result) expect(result).toEqual({ status: 0, output: '' });
  });

  it('keeps the latest trace per bucket', async () => {
    const { app } = instrumentedApp({ buckets: [10] });
    app.get('/', (_req, res) => res.send('ok'));
    await request(app).get('/').set('traceparent', TRACEPARENT);
    const later = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-00`;
    await request(app).get('/').set('traceparent', later);
    const lines = exemplarLines(await scrape(app));
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toContain(`trace_id="${'a'.repeat(32)}"`);
  });

  it('is off with exemplars: false', async () => {
    const { app } = instrumentedApp({ exemplars: false });
    app.get('/', (_req, res) => res.send('ok'));
    await request(app).get('/').set('traceparent', TRACEPARENT);
    expect(exemplarLines(await scrape(app))).toEqual([]);
  });

  it('reads only valid traceparent headers', () => {
    expect(readTraceparent(TRACEPARENT)).toEqual({ traceId: TRACE, spanId: SPAN });
    expect(readTraceparent(`00-${TRACE.toUpperCase()}-${SPAN}-01`)).toEqual({
      traceId: TRACE,
      spanId: SPAN,
    });
    for (const invalid of [
      undefined,
      '',
      'garbage',
      `ff-${TRACE}-${SPAN}-01`,
      `00-${'0'.repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE}-${SPAN}-01x`,
    ]) {
      expect(readTraceparent(invalid)).toBeUndefined();
    }
  });

  it('is on x-metrics histograms and counters of createApi, and not on gauges or summaries', async () => {
    const registry = new Registry();
    const api = await createApi({
      spec: {
        openapi: '3.0.3',
        info: { title: 'exemplars', version: '1' },
        paths: {
          '/orders': {
            post: {
              operationId: 'createOrder',
              'x-metrics': {
                metrics: [
                  { name: 'orders_created_total', type: 'counter', help: 'Orders' },
                  { name: 'order_seconds', type: 'histogram', help: 'Time', buckets: [1] },
                  { name: 'order_latency_seconds', type: 'summary', help: 'Time' },
                  { name: 'orders_in_progress', type: 'gauge', help: 'Running' },
                ],
              },
              responses: { '204': { description: 'created' } },
            },
          },
        },
      },
      handlers: { createOrder: () => undefined },
      metrics: { registry, processMetrics: false },
    });
    await request(api.app).post('/orders').set('traceparent', TRACEPARENT).expect(204);
    const open = await scrape(api.app);
    const names = exemplarLines(open).map((line) => /^[^{ ]+/.exec(line)?.[0]);
    expect(names).toEqual([
      'express_http_request_duration_seconds_bucket',
      'express_http_request_total',
      'orders_created_total',
      'order_seconds_bucket',
    ]);
    if (parseOpenMetrics(open)) expect(open.endsWith('# EOF\n')).toBe(true);
  });
});
