import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';

const PETSTORE = join(__dirname, '..', '..', 'specs', 'petstore.yaml');

async function bootMeasured(registry: Registry): Promise<import('express').Application> {
  const api = await createApi({
    spec: PETSTORE,
    handlers: {
      listPets: () => [],
      createPet: () => ({ id: 1, name: 'x' }),
      getPet: ({ params }) => {
        if (params.petId === 13) throw new Error('boom');
        return { id: params.petId, name: 'Rex' };
      },
      deletePet: () => undefined,
      getPetCard: () => 'card',
      getPetPhoto: () => Buffer.alloc(1),
    },
    security: { bearerAuth: () => true },
    metrics: { registry, processMetrics: false },
  });
  return api.app;
}

/** The value of one sample of the exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.lastIndexOf('}'));
    const parts = inside.split(',');
    if (parts.length === wanted.length && wanted.every((w) => parts.includes(w)))
      return Number(line.split(' ').pop());
  }
  return undefined;
}

describe('createApi metrics', () => {
  it('groups the default metrics by operation, validation failures included', async () => {
    const registry = new Registry();
    const app = await bootMeasured(registry);
    await request(app).get('/v1/pets/1').expect(200);
    await request(app).get('/v1/pets/1').expect(200);
    await request(app).get('/v1/pets/abc').expect(400);
    await request(app).get('/v1/pets?limit=0').expect(400);
    const text = (await request(app).get('/metrics').expect(200)).text;
    const count = 'express_http_request_duration_seconds_count';
    expect(sample(text, count, { method: 'GET', operation: 'getPet', status: '200' })).toBe(2);
    expect(sample(text, count, { method: 'GET', operation: 'getPet', status: '400' })).toBe(1);
    expect(sample(text, count, { method: 'GET', operation: 'listPets', status: '400' })).toBe(1);
    expect(sample(text, 'express_http_request_total', { method: 'GET', status: '200' })).toBe(2);
    expect(sample(text, 'express_http_request_total', { method: 'GET', status: '400' })).toBe(2);
  });

  it('labels unknown paths __unmatched__ and counts handler crashes as exceptions', async () => {
    const registry = new Registry();
    const app = await bootMeasured(registry);
    await request(app).get('/v1/nowhere/1').expect(404);
    await request(app).get('/v1/nowhere/2').expect(404);
    await request(app).put('/v1/pets').expect(405);
    await request(app).get('/v1/pets/13').expect(500);
    const text = (await request(app).get('/metrics').expect(200)).text;
    const count = 'express_http_request_duration_seconds_count';
    expect(sample(text, count, { method: 'GET', operation: '__unmatched__', status: '404' })).toBe(
      2,
    );
    expect(sample(text, count, { method: 'PUT', operation: '__unmatched__', status: '405' })).toBe(
      1,
    );
    expect(sample(text, count, { method: 'GET', operation: 'getPet', status: '500' })).toBe(1);
    expect(
      sample(text, 'express_http_request_exceptions_total', { method: 'GET', status: '500' }),
    ).toBe(1);
    expect(text).not.toContain('nowhere');
  });
});
