import { Histogram, Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import { SpectrometerError } from '../../src/errors';
import { findSamples } from '../helpers/exposition';
import { PROM_CLIENT_DEFAULT_BUCKETS } from '../../src/slo';

const fresh = () => ({ registry: new Registry(), processMetrics: false });

describe('createApi with x-slo', () => {
  it('adds each latency threshold to the duration histogram as a bucket', async () => {
    const api = await createApi({
      spec: 'test/fixtures/slo-levels/openapi.yaml',
      missingHandler: 'mock',
      metrics: { ...fresh(), buckets: [0.1, 0.5] },
    });
    await request(api.app).get('/orders').expect(200);
    const text = (await request(api.app).get('/metrics').expect(200)).text;
    const bounds = findSamples(text, 'express_http_request_duration_seconds_bucket', {
      operation: 'listOrders',
    }).map((sample) => sample.labels.le);
    // 0.25 and 1 are the x-slo thresholds, added to the buckets set in code.
    expect(bounds).toEqual(['0.1', '0.25', '0.5', '1', '+Inf']);
  });

  it("adds them to the spec's x-metrics buckets", async () => {
    const api = await createApi({
      spec: 'specs/petstore.yaml',
      missingHandler: 'mock',
      metrics: fresh(),
    });
    await request(api.app).get('/v1/pets').expect(200);
    const text = (await request(api.app).get('/metrics').expect(200)).text;
    const bounds = findSamples(text, 'petstore_http_request_duration_seconds_bucket', {
      operation: 'listPets',
    }).map((sample) => sample.labels.le);
    // The spec's buckets with 0.3 added (0.5 is already one of them).
    expect(new Set(bounds)).toEqual(
      new Set(['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.3', '0.5', '1', '2.5', '+Inf']),
    );
  });

  it("knows prom-client's default buckets, which a histogram without buckets has", async () => {
    const registry = new Registry();
    new Histogram({ name: 'probe_seconds', help: 'probe', registers: [registry] }).observe(1);
    const bounds = findSamples(await registry.metrics(), 'probe_seconds_bucket').map(
      (s) => s.labels.le,
    );
    expect(bounds).toEqual([...PROM_CLIENT_DEFAULT_BUCKETS.map(String), '+Inf']);
  });

  it('refuses to boot on an invalid x-slo, listing every problem (SPM_X_SLO_INVALID)', async () => {
    const error = await createApi({
      spec: 'test/fixtures/slo-every-problem/openapi.yaml',
      missingHandler: 'mock',
      metrics: fresh(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpectrometerError);
    const { code, problems, message } = error as SpectrometerError;
    expect(code).toBe('SPM_X_SLO_INVALID');
    expect(problems).toHaveLength(11);
    expect(message).toContain(
      '- #/x-slo/window: x-slo at #/x-slo: "window" must be between 7d and 90d, got "1d" (use e.g. window: 28d',
    );
  });

  it('refuses SLOs when the metrics option groups the duration metric by route', async () => {
    const error = await createApi({
      spec: 'test/fixtures/slo-levels/openapi.yaml',
      missingHandler: 'mock',
      metrics: { ...fresh(), groupBy: 'route' },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SPM_X_SLO_INVALID',
      problems: [
        {
          message:
            'x-slo needs the default duration metric grouped by operation, but the metrics option groupBy is "route"',
          hint: "remove metrics.groupBy from the createApi options (spec mode groups by 'operation')",
        },
      ],
    });
  });

  it('lists x-slo problems beside the other boot problems (SPM_API_BOOT)', async () => {
    const error = await createApi({
      spec: 'test/fixtures/slo-latency-on-summary/openapi.yaml',
      handlers: {},
      metrics: fresh(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SPM_API_BOOT' });
    const pointers = (error as SpectrometerError).problems.map((p) => p.pointer);
    expect(pointers).toEqual(['#/paths/~1a/get', '#/paths/~1a/get/x-slo/latency']);
  });
});
