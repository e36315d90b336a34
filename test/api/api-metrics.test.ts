import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import { reply } from '../../src/api/response/reply';
import { sampleValue } from '../helpers/exposition';
import { PETSTORE, petstoreLabelFunctions } from '../helpers/petstore';

// The petstore's document-level defaultLabels: a fixed service, and the tenant bounded from
// X-Tenant (`other` when the header is missing or not a known tenant).
const DEFAULT_LABELS = { service: 'petstore', tenant: 'other' };

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
      getHealth: () => 'ok',
    },
    security: { bearerAuth: () => true },
    labelFunctions: petstoreLabelFunctions,
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
    // The spec's prefix: petstore_http_*, not express_http_*.
    expect(text).not.toContain('express_');
    const count = 'petstore_http_request_duration_seconds_count';
    const get = { method: 'GET', ...DEFAULT_LABELS };
    expect(sample(text, count, { ...get, operation: 'getPet', status: '200' })).toBe(2);
    expect(sample(text, count, { ...get, operation: 'getPet', status: '400' })).toBe(1);
    expect(sample(text, count, { ...get, operation: 'listPets', status: '400' })).toBe(1);
    expect(sample(text, 'petstore_http_request_total', { ...get, status: '200' })).toBe(2);
    expect(sample(text, 'petstore_http_request_total', { ...get, status: '400' })).toBe(2);
    expect(text).toMatch(/^petstore_exporter_info\{version="[^"]+"\} 1$/m);
  });

  it('adds the default labels of the spec to every metric, the tenant bounded', async () => {
    const registry = new Registry();
    const app = await bootMeasured(registry);
    await request(app).get('/v1/pets/1').set('X-Tenant', 'acme').expect(200);
    await request(app).get('/v1/pets/1').set('X-Tenant', 'globex').expect(200);
    await request(app).get('/v1/pets/1').set('X-Tenant', 'initech').expect(200);
    await request(app).get('/v1/nowhere').set('X-Tenant', 'acme').expect(404);
    const text = (await request(app).get('/metrics').expect(200)).text;
    const total = (tenant: string, status = '200') =>
      sample(text, 'petstore_http_request_total', {
        method: 'GET',
        status,
        service: 'petstore',
        tenant,
      });
    expect([total('acme'), total('globex'), total('other'), total('acme', '404')]).toEqual([
      1, 1, 1, 1,
    ]);
    expect(text).not.toContain('initech');
    const lookups = (tenant: string) =>
      sampleValue(text, 'petstore_pet_lookups_total', {
        tag: 'dog',
        status: '200',
        kind: 'mammal',
        service: 'petstore',
        tenant,
      });
    expect([lookups('acme'), lookups('globex'), lookups('other')]).toEqual([1, 1, 1]);
  });

  it('labels unknown paths __unmatched__ and counts handler crashes as exceptions', async () => {
    const registry = new Registry();
    const app = await bootMeasured(registry);
    await request(app).get('/v1/nowhere/1').expect(404);
    await request(app).get('/v1/nowhere/2').expect(404);
    await request(app).put('/v1/pets').expect(405);
    await request(app).get('/v1/pets/13').expect(500);
    const text = (await request(app).get('/metrics').expect(200)).text;
    const count = 'petstore_http_request_duration_seconds_count';
    const unmatched = { operation: '__unmatched__', ...DEFAULT_LABELS };
    expect(sample(text, count, { ...unmatched, method: 'GET', status: '404' })).toBe(2);
    expect(sample(text, count, { ...unmatched, method: 'PUT', status: '405' })).toBe(1);
    const crashed = { method: 'GET', status: '500', ...DEFAULT_LABELS };
    expect(sample(text, count, { ...crashed, operation: 'getPet' })).toBe(1);
    expect(sample(text, 'petstore_http_request_exceptions_total', crashed)).toBe(1);
    // The problem document is the result a label function sees: petKind says none.
    const lookup = { ...DEFAULT_LABELS, status: '500', tag: '', kind: 'none' };
    expect(sampleValue(text, 'petstore_pet_lookups_total', lookup)).toBe(1);
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
    await request(app).get('/v1/health').expect(200, 'ok');
    const text = (await request(app).get('/metrics').expect(200)).text;

    const requests = (operation: string, method: string, status: string, problem = 'none') =>
      sampleValue(text, 'petstore_requests_total', {
        ...DEFAULT_LABELS,
        operation,
        method,
        status,
        problem,
      });
    expect(requests('listPets', 'GET', '200')).toBe(2);
    expect(requests('createPet', 'POST', '201')).toBe(1);
    expect(requests('createPet', 'POST', '400', 'Bad Request')).toBe(1);
    expect(requests('getPet', 'GET', '400', 'Bad Request')).toBe(1);
    expect(requests('getPetPhoto', 'GET', '200')).toBe(1);

    const listed = (tag: string, theme: string) => ({ ...DEFAULT_LABELS, tag, theme });
    expect(sampleValue(text, 'petstore_pets_listed_sum', listed('dog', 'dark'))).toBe(1);
    expect(sampleValue(text, 'petstore_pets_listed_count', listed('other', 'none'))).toBe(1);
    expect(sampleValue(text, 'petstore_last_listing_pets', DEFAULT_LABELS)).toBe(1);
    const created = { ...DEFAULT_LABELS, content_type: 'application/json', store: 'memory' };
    expect(
      sampleValue(text, 'petstore_pets_created_total', { ...created, tag: 'cat', status: '201' }),
    ).toBe(1);
    expect(
      sampleValue(text, 'petstore_pets_created_total', { ...created, tag: 'other', status: '400' }),
    ).toBe(1);
    expect(sampleValue(text, 'petstore_create_request_bytes_count', DEFAULT_LABELS)).toBe(2);
    // kind is the { fn: petKind } label: the kind of the pet returned, none for a problem.
    const lookups = (tag: string, status: string, kind: string) =>
      sampleValue(text, 'petstore_pet_lookups_total', { ...DEFAULT_LABELS, tag, status, kind });
    expect(lookups('dog', '200', 'mammal')).toBe(1);
    expect(lookups('', '400', 'none')).toBe(1);
    const inProgress = { ...DEFAULT_LABELS, route: '/pets/{petId}', method: 'GET' };
    expect(sampleValue(text, 'petstore_pet_requests_in_progress', inProgress)).toBe(0);
    expect(sampleValue(text, 'petstore_photo_bytes_total', DEFAULT_LABELS)).toBe(1);
    // track: false on getPetPhoto: no default metrics for it.
    expect(text).not.toContain('operation="getPetPhoto",status');
    // exclude: true on getHealth: no metrics at all, not even the document-level ones.
    expect(text).not.toContain('getHealth');
  });
});
