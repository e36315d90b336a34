import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import { reply } from '../../src/api/reply';
import { sampleValue } from '../helpers/exposition';

const PETSTORE = join(__dirname, '..', '..', 'specs', 'petstore.yaml');

async function bootMeasured(registry: Registry): Promise<import('express').Application> {
  const api = await createApi({
    spec: PETSTORE,
    handlers: {
      listPets: () =>
        reply([{ id: 1, name: 'Rex', tag: 'dog' }], { headers: { 'X-Total-Count': '1' } }),
      createPet: () => ({ id: 1, name: 'x' }),
      getPet: ({ params }) => {
        if (params.petId === 13) throw new Error('boom');
        return { id: params.petId, name: 'Rex', tag: 'dog' };
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

  it("records the petstore's x-metrics at all three levels", async () => {
    const registry = new Registry();
    const app = await bootMeasured(registry);
    await request(app).get('/v1/pets?tag=dog').set('Cookie', 'theme=dark').expect(200);
    await request(app).get('/v1/pets?tag=lizard').expect(200);
    const auth = { Authorization: 'Bearer t' };
    await request(app).post('/v1/pets').set(auth).send({ name: 'Kit', tag: 'cat' }).expect(201);
    await request(app).post('/v1/pets').set(auth).send({ name: '' }).expect(400);
    await request(app).get('/v1/pets/1').expect(200);
    await request(app).get('/v1/pets/abc').expect(400);
    await request(app).get('/v1/pets/1/photo').expect(200);
    const text = (await request(app).get('/metrics').expect(200)).text;

    const requests = (operation: string, method: string, status: string, problem = 'none') =>
      sampleValue(text, 'petstore_requests_total', { operation, method, status, problem });
    expect(requests('listPets', 'GET', '200')).toBe(2);
    expect(requests('createPet', 'POST', '201')).toBe(1);
    expect(requests('createPet', 'POST', '400', 'Bad Request')).toBe(1);
    expect(requests('getPet', 'GET', '400', 'Bad Request')).toBe(1);
    expect(requests('getPetPhoto', 'GET', '200')).toBe(1);

    expect(sampleValue(text, 'petstore_pets_listed_sum', { tag: 'dog', theme: 'dark' })).toBe(1);
    expect(sampleValue(text, 'petstore_pets_listed_count', { tag: 'other', theme: 'none' })).toBe(
      1,
    );
    expect(sampleValue(text, 'petstore_last_listing_pets')).toBe(1);
    const created = { content_type: 'application/json', store: 'memory' };
    expect(
      sampleValue(text, 'petstore_pets_created_total', { ...created, tag: 'cat', status: '201' }),
    ).toBe(1);
    expect(
      sampleValue(text, 'petstore_pets_created_total', { ...created, tag: 'other', status: '400' }),
    ).toBe(1);
    expect(sampleValue(text, 'petstore_create_request_bytes_count')).toBe(2);
    expect(sampleValue(text, 'petstore_pet_lookups_total', { tag: 'dog', status: '200' })).toBe(1);
    expect(sampleValue(text, 'petstore_pet_lookups_total', { tag: '', status: '400' })).toBe(1);
    const inProgress = { route: '/pets/{petId}', method: 'GET' };
    expect(sampleValue(text, 'petstore_pet_requests_in_progress', inProgress)).toBe(0);
    expect(sampleValue(text, 'petstore_photo_bytes_total')).toBe(1);
    // track: false on getPetPhoto: no default metrics for it.
    expect(text).not.toContain('operation="getPetPhoto",status');
  });
});
