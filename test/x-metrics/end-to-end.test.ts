// x-metrics recorded by real requests: every label form and value expression at all three
// levels, track/exclude, excludedPaths, validation failures and bounded labels.
import type { Application } from 'express';
import request from 'supertest';
import { HttpProblem } from '../../src/api/response/http-problem';
import { reply } from '../../src/api/response/reply';
import { findSamples, sampleValue } from '../helpers/exposition';
import { bootFixture, checkWithPromtool, scrape } from './end-to-end-apps';

interface Pet {
  id: number;
  name: string;
  species: string;
  toys: string[];
}

const PETS: Record<number, Pet> = {
  1: { id: 1, name: 'Rex', species: 'dog', toys: ['ball', 'bone'] },
  2: { id: 2, name: 'Tom', species: 'cat', toys: [] },
};

// getPet of pet 5 signals `entered`, then waits for `release`: a scrape sees it in progress.
let entered: () => void = () => undefined;
let release: () => void = () => undefined;

async function boot(): Promise<Application> {
  const api = await bootFixture('every-feature', {
    handlers: {
      listPets: () => reply(Object.values(PETS), { headers: { 'X-Cache': 'MISS' } }),
      createPet: ({ body }) => ({ id: 3, ...(body as object) }),
      getPet: async ({ params }) => {
        const id = params.petId as number;
        if (id === 5) {
          entered();
          await new Promise<void>((resolve) => (release = resolve));
        }
        const pet = PETS[id];
        if (!pet) throw new HttpProblem({ status: 404, title: 'Not Found' });
        return id === 1 ? reply(pet, { headers: { 'X-Cache': 'HIT', 'X-Cache-Age': '3' } }) : pet;
      },
      deletePet: () => undefined,
      getSecret: () => 'secret',
      checkHealth: () => 'ok',
    },
    labelFunctions: {
      petKind: ({ operationId, res, result }) =>
        `${operationId}:${res.statusCode}:${(result as { title?: string }).title ? 'problem' : 'pet'}`,
    },
  });
  return api.app;
}

const shop = { service: 'shop', tenant: 'other' };

describe('x-metrics end to end', () => {
  let app: Application;
  let text: string;
  const createdBytes: number[] = [];

  beforeAll(async () => {
    app = await boot();
    await request(app).get('/pets?tier=pro&tag=x').set('X-Tenant', 'acme').expect(200);
    await request(app).get('/pets?tier=gold').set('X-Tenant', 'initech').expect(200);
    await request(app).get('/pets').expect(200);
    const creates = [
      await request(app)
        .post('/pets')
        .set('Cookie', 'plan=paid')
        .set('X-Client', 'cli')
        .send({ name: 'Kit', species: 'cat', treats: 2 })
        .expect(201),
      await request(app).post('/pets').send({ name: 'Neg', treats: -3 }).expect(201),
      await request(app).post('/pets').send({ name: 1 }).expect(400),
    ];
    createdBytes.push(...creates.map((res) => Buffer.byteLength(res.text)));
    await request(app).get('/pets/1').expect(200);
    await request(app).get('/pets/2').expect(200);
    await request(app).get('/pets/9').expect(404);
    await request(app).get('/pets/abc').expect(400);
    await request(app).delete('/pets/1').expect(204);
    await request(app).get('/secret').expect(200);
    await request(app).get('/internal/health').expect(200);
    text = await scrape(app);
  });

  it('records document-level metrics for every operation, with every request source', () => {
    const calls = (labels: Record<string, string>) =>
      sampleValue(text, 'shop_calls_total', { ...shop, problem: 'none', ...labels });
    expect(
      calls({
        operation: 'listPets',
        method: 'GET',
        route: '/pets',
        status: '200',
        tenant: 'acme',
      }),
    ).toBe(1);
    expect(calls({ operation: 'listPets', method: 'GET', route: '/pets', status: '200' })).toBe(2);
    expect(calls({ operation: 'createPet', method: 'POST', route: '/pets', status: '201' })).toBe(
      2,
    );
    expect(
      calls({ operation: 'getPet', method: 'GET', route: '/pets/{petId}', status: '200' }),
    ).toBe(2);
    expect(
      calls({ operation: 'deletePet', method: 'DELETE', route: '/pets/{petId}', status: '204' }),
    ).toBe(1);
  });

  it('reads response.* labels of failed requests from the problem response', () => {
    const calls = (operation: string, route: string, status: string, problem: string) =>
      sampleValue(text, 'shop_calls_total', {
        ...shop,
        operation,
        method: operation === 'createPet' ? 'POST' : 'GET',
        route,
        status,
        problem,
      });
    expect(calls('createPet', '/pets', '400', 'Bad Request')).toBe(1);
    expect(calls('getPet', '/pets/{petId}', '400', 'Bad Request')).toBe(1);
    expect(calls('getPet', '/pets/{petId}', '404', 'Not Found')).toBe(1);
    expect(sampleValue(text, 'pet_lookups_total', { ...shop, species: '', status: '400' })).toBe(1);
    expect(sampleValue(text, 'pet_lookups_total', { ...shop, species: '', status: '404' })).toBe(1);
  });

  it('collapses bounded labels outside their values to other', () => {
    expect(findSamples(text, 'shop_calls_total', { tenant: 'initech' })).toEqual([]);
    const listed = (labels: Record<string, string>) =>
      sampleValue(text, 'pets_listed_count', { ...shop, cache: 'MISS', ...labels });
    expect(listed({ tier: 'pro', tag: 'x', tenant: 'acme' })).toBe(1);
    // tier=gold and no tier at all both become "other"; a missing raw label is ''.
    expect(listed({ tier: 'other', tag: '' })).toBe(2);
  });

  it('records path-item metrics for each operation of the path', () => {
    const bytes = (suffix: string, labels: Record<string, string> = {}) =>
      sampleValue(text, `pets_collection_request_bytes${suffix}`, { ...shop, ...labels });
    const created = JSON.stringify({ name: 'Kit', species: 'cat', treats: 2 }).length;
    const negative = JSON.stringify({ name: 'Neg', treats: -3 }).length;
    const invalid = JSON.stringify({ name: 1 }).length;
    // Two bodiless listings (0 bytes) under tenant "other", three creates.
    expect(bytes('_count')).toBe(5);
    expect(bytes('_sum')).toBe(created + negative + invalid);
    expect(bytes('_bucket', { le: '10' })).toBe(3);
    expect(bytes('_bucket', { le: '100' })).toBe(5);
    expect(bytes('_count', { tenant: 'acme' })).toBe(1);
    expect(bytes('_sum', { tenant: 'acme' })).toBe(0);
  });

  it('resolves every label form of an operation metric, fn included', () => {
    const created = (labels: Record<string, string>) =>
      sampleValue(text, 'pets_created_total', { ...shop, store: 'main', ...labels });
    expect(
      created({
        species: 'cat',
        kind: 'createPet:201:pet',
        plan: 'paid',
        client: 'cli',
        status: '201',
      }),
    ).toBe(1);
    expect(
      created({ species: '', kind: 'createPet:201:pet', plan: '', client: '', status: '201' }),
    ).toBe(1);
    expect(
      created({ species: '', kind: 'createPet:400:problem', plan: '', client: '', status: '400' }),
    ).toBe(1);
  });

  it('uses value expressions: numeric sources, sizes and durations', () => {
    // Counter increments: 2, then -3 (skipped: counters only go up), then none (invalid body).
    expect(sampleValue(text, 'pet_treats_total', shop)).toBe(2);
    expect(sampleValue(text, 'pet_create_seconds_total', shop)).toBeGreaterThan(0);
    // Histogram of response.body.length: three listings of two pets each.
    expect(
      sampleValue(text, 'pets_listed_sum', { ...shop, tier: 'other', tag: '', cache: 'MISS' }),
    ).toBe(4);
    expect(
      sampleValue(text, 'pets_listed_bucket', {
        ...shop,
        tier: 'other',
        tag: '',
        cache: 'MISS',
        le: '1',
      }),
    ).toBe(0);
    expect(
      sampleValue(text, 'pets_listed_bucket', {
        ...shop,
        tier: 'other',
        tag: '',
        cache: 'MISS',
        le: '2',
      }),
    ).toBe(2);
    // Histogram of a nested length: Rex has 2 toys, Tom 0; failed lookups have no toys.
    expect(sampleValue(text, 'pet_toys_count', shop)).toBe(2);
    expect(sampleValue(text, 'pet_toys_sum', shop)).toBe(2);
    expect(sampleValue(text, 'pet_toys_bucket', { ...shop, le: '1' })).toBe(1);
    // Gauge set from a numeric response header, only when the header is there.
    expect(sampleValue(text, 'pet_cache_age_seconds', { ...shop, cache: 'HIT' })).toBe(3);
    expect(findSamples(text, 'pet_cache_age_seconds')).toHaveLength(1);
    // Summary of response.size: the bytes of each JSON body sent.
    expect(createdBytes[0]).toBe(
      JSON.stringify({ id: 3, name: 'Kit', species: 'cat', treats: 2 }).length,
    );
    expect(sampleValue(text, 'pet_create_response_bytes_count', shop)).toBe(3);
    expect(sampleValue(text, 'pet_create_response_bytes_sum', shop)).toBe(
      createdBytes.reduce((sum, n) => sum + n, 0),
    );
    // Summary of duration (no value): one observation per getPet request.
    expect(sampleValue(text, 'pet_lookup_seconds_count', shop)).toBe(4);
  });

  it('counts the bytes of every response, problems included', async () => {
    const fresh = await boot();
    const ok = await request(fresh).get('/pets/2').expect(200);
    const missing = await request(fresh).get('/pets/9').expect(404);
    const bytes = Buffer.byteLength(ok.text) + Buffer.byteLength(missing.text);
    expect(sampleValue(await scrape(fresh), 'pet_response_bytes_total', shop)).toBe(bytes);
  });

  it('labels operations sharing a metric with their own sources', () => {
    expect(sampleValue(text, 'pet_lookups_total', { ...shop, species: 'dog', status: '200' })).toBe(
      1,
    );
    expect(sampleValue(text, 'pet_lookups_total', { ...shop, species: 'cat', status: '200' })).toBe(
      1,
    );
    expect(
      sampleValue(text, 'pet_lookups_total', { ...shop, species: 'none', status: '204' }),
    ).toBe(1);
  });

  it('drops default metrics of track: false operations and keeps their x-metrics', () => {
    const duration = 'shop_http_request_duration_seconds_count';
    expect(findSamples(text, duration, { operation: 'getPet' })).toEqual([]);
    expect(
      sampleValue(text, duration, {
        ...shop,
        method: 'DELETE',
        operation: 'deletePet',
        status: '204',
      }),
    ).toBe(1);
    expect(findSamples(text, 'shop_calls_total', { operation: 'getPet' })).toHaveLength(3);
  });

  it('records nothing for exclude: true operations and excluded paths', () => {
    expect(text).not.toContain('getSecret');
    expect(text).not.toContain('checkHealth');
    // Only listPets, createPet and deletePet have default metrics (7 requests in all).
    const total = findSamples(text, 'shop_http_request_total').reduce((sum, s) => sum + s.value, 0);
    expect(total).toBe(7);
  });

  it('uses the document prefix and buckets for the default latency histogram', () => {
    const buckets = findSamples(text, 'shop_http_request_duration_seconds_bucket', {
      operation: 'deletePet',
    }).map((s) => s.labels.le);
    expect(buckets).toEqual(['0.1', '1', '10', '+Inf']);
  });

  it('raises in-progress gauges when the operation is matched and lowers them at the end', async () => {
    expect(sampleValue(text, 'pet_requests_in_progress', { ...shop, pet: 'abc' })).toBe(0);
    const fresh = await boot();
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const pending = request(fresh)
      .get('/pets/5')
      .then((res) => res.status);
    await inHandler;
    const during = await scrape(fresh);
    expect(sampleValue(during, 'pet_requests_in_progress', { ...shop, pet: '5' })).toBe(1);
    release();
    expect(await pending).toBe(404);
    const after = await scrape(fresh);
    expect(sampleValue(after, 'pet_requests_in_progress', { ...shop, pet: '5' })).toBe(0);
  });

  it('exports an exposition that passes promtool check metrics', () => {
    expect(checkWithPromtool(text)).toEqual({ status: 0, output: '' });
  });
});
