// x-metrics that go wrong: label functions that throw at request time, mistakes at boot.
import { join } from 'node:path';
import request from 'supertest';
import { createApi } from '../../src/api';
import { SpectrometerError } from '../../src/errors';
import { sampleValue } from '../helpers/exposition';
import { bootFixture, scrape } from './end-to-end-apps';

const invalid = (scenario: string) =>
  join(__dirname, '..', 'fixtures', `x-metrics-${scenario}`, 'openapi.yaml');

async function bootError(options: Parameters<typeof createApi>[0]): Promise<SpectrometerError> {
  const error: unknown = await createApi(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof SpectrometerError))
    throw new Error(`expected a SpectrometerError, got ${String(error)}`);
  return error;
}

describe('x-metrics errors end to end', () => {
  it('counts a label function that throws and still answers the request', async () => {
    const { app } = await bootFixture('label-errors', {
      handlers: { listWidgets: () => [{ id: 1 }] },
      labelFunctions: {
        explode: () => {
          throw new Error('boom');
        },
      },
    });
    const res = await request(app).get('/widgets').expect(200);
    expect(res.body).toEqual([{ id: 1 }]);
    await request(app).get('/widgets').expect(200);
    const text = await scrape(app);
    expect(sampleValue(text, 'widget_listings_total', { kind: '', status: '200' })).toBe(2);
    expect(
      sampleValue(text, 'spectrometer_label_errors_total', { metric: 'widget_listings_total' }),
    ).toBe(2);
  });

  it('refuses to boot with x-metrics mistakes, each with its pointer', async () => {
    const error = await bootError({
      spec: invalid('buckets-on-counter'),
      missingHandler: 'not-implemented',
    });
    expect(error.code).toBe('SPM_X_METRICS_INVALID');
    expect(error.problems.map((p) => p.pointer)).toEqual([
      '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/buckets',
    ]);
  });

  it('checks fn names against labelFunctions at boot', async () => {
    const error = await bootError({
      spec: invalid('unknown-label-function'),
      missingHandler: 'not-implemented',
      labelFunctions: { petKind: () => 'pet' },
    });
    expect(error.code).toBe('SPM_X_METRICS_INVALID');
    expect(error.problems[0]?.message).toContain('names the label function "petKnd"');
    expect(error.problems[0]?.hint).toContain('petKind');
  });

  it('lists x-metrics mistakes with the other boot problems in one error', async () => {
    const error = await bootError({
      spec: invalid('buckets-on-counter'),
      handlers: { listPets: () => [], getPet: () => ({}) },
    });
    expect(error.code).toBe('SPM_API_BOOT');
    expect(error.problems.map((p) => p.pointer)).toEqual([
      expect.stringContaining('#/paths/~1pets/post'),
      '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/buckets',
    ]);
    expect(error.message).toContain('"buckets" does not apply to a counter');
  });
});
