import express from 'express';
import { Counter, Histogram, Registry } from 'prom-client';
import request from 'supertest';
import { PrometheusMetrics } from '../../src';
import { createRecorder, type Recorder } from '../../src/metrics/recorder';
import type { Outcome } from '../../src/metrics/request-state';
import type { Request, Response } from 'express';
import { sampleValue } from '../helpers/exposition';

// Counters and histograms record straight into prom-client's series once prom-client created
// them. These tests hold that path to prom-client's own: same samples, and no lost recording when
// a series is removed, the registry reset, or the metric is a subclass recording its own way.

const outcome: Outcome = { status: 200, aborted: false, exception: false, endTime: 0n };
const fakeReq = (route: string) => ({ route }) as unknown as Request;
const fakeRes = {} as Response;

function recordAll(
  recorder: Recorder,
  values: readonly number[],
  route = (i: number) => `/r${i % 3}`,
) {
  values.forEach((_, i) => recorder.record(fakeReq(route(i)), fakeRes, outcome, 0n));
}

describe('direct recording', () => {
  const amounts = [0, 0.004, 0.005, 0.0051, 0.1, 0.25, 0.3, 1, 2.5, 7, 10, 11, 1e9];

  it('gives the samples prom-client gives for the same observations (histogram and counter)', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    let i = 0;
    const histogram = createRecorder(ours, {
      definition: { name: 'h', help: 'h', type: 'histogram' },
      labels: [{ name: 'route', resolve: (req) => (req as unknown as { route: string }).route }],
      observe: () => amounts[i++ % amounts.length],
    });
    let j = 0;
    const counter = createRecorder(ours, {
      definition: { name: 'c', help: 'c', type: 'counter' },
      labels: [
        { name: 'route', resolve: (req) => (req as unknown as { route: string }).route },
        { name: 'service', value: 'shop' },
      ],
      observe: () => amounts[j++ % amounts.length],
    });
    const reference = new Histogram({
      name: 'h',
      help: 'h',
      labelNames: ['route'],
      registers: [theirs],
    });
    const referenceCounter = new Counter({
      name: 'c',
      help: 'c',
      labelNames: ['route', 'service'],
      registers: [theirs],
    });
    const rounds = amounts.length * 5;
    recordAll(histogram, Array.from({ length: rounds }));
    recordAll(counter, Array.from({ length: rounds }));
    for (let n = 0; n < rounds; n++) {
      const amount = amounts[n % amounts.length] as number;
      reference.observe({ route: `/r${n % 3}` }, amount);
      referenceCounter.inc({ route: `/r${n % 3}`, service: 'shop' }, amount);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('loses no recording when a series is removed or the registry reset meanwhile', async () => {
    const registry = new Registry();
    const recorder = createRecorder(registry, {
      definition: { name: 'requests_total', help: 'r', type: 'counter' },
      labels: [{ name: 'route', resolve: (req) => (req as unknown as { route: string }).route }],
      observe: 'count',
    });
    const counter = recorder.metric as Counter<string>;
    recordAll(recorder, Array.from({ length: 4 }), () => '/a');
    counter.remove({ route: '/a' });
    recordAll(recorder, Array.from({ length: 3 }), () => '/a');
    expect(sampleValue(await registry.metrics(), 'requests_total', { route: '/a' })).toBe(3);
    registry.resetMetrics();
    recordAll(recorder, Array.from({ length: 2 }), () => '/a');
    expect(sampleValue(await registry.metrics(), 'requests_total', { route: '/a' })).toBe(2);
  });

  it('records through the API of a metric class of its own (a subclass of Counter)', async () => {
    const registry = new Registry();
    const calls: number[] = [];
    class AuditedCounter extends Counter<string> {
      constructor(configuration: ConstructorParameters<typeof Counter<string>>[0]) {
        super(configuration);
        const inc = this.inc.bind(this) as (...args: unknown[]) => void;
        this.inc = ((...args: unknown[]) => {
          calls.push(1);
          inc(...args);
        }) as Counter<string>['inc'];
      }
    }
    new AuditedCounter({
      name: 'audited_total',
      help: 'a',
      labelNames: ['route'],
      registers: [registry],
    });
    const recorder = createRecorder(registry, {
      definition: { name: 'audited_total', help: 'a', type: 'counter' },
      labels: [{ name: 'route', resolve: () => '/a' }],
      observe: 'count',
    });
    recordAll(recorder, Array.from({ length: 5 }));
    expect(calls).toHaveLength(5);
    expect(sampleValue(await registry.metrics(), 'audited_total', { route: '/a' })).toBe(5);
  });

  it('counts every request of a real app exactly, per operation and status', async () => {
    const app = express();
    const metrics = new PrometheusMetrics(app, { processMetrics: false });
    app.get('/ok', (_req, res) => res.send('ok'));
    app.get('/missing', (_req, res) => res.status(404).send('no'));
    for (let n = 0; n < 30; n++) await request(app).get(n % 3 === 0 ? '/missing' : '/ok');
    const text = await metrics.registry.metrics();
    expect(sampleValue(text, 'express_http_request_total', { method: 'GET', status: '200' })).toBe(
      20,
    );
    expect(sampleValue(text, 'express_http_request_total', { method: 'GET', status: '404' })).toBe(
      10,
    );
    expect(
      sampleValue(text, 'express_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/ok',
        status: '200',
      }),
    ).toBe(20);
    expect(
      sampleValue(text, 'express_http_request_duration_seconds_bucket', {
        method: 'GET',
        route: '/ok',
        status: '200',
        le: '+Inf',
      }),
    ).toBe(20);
  });
});
