import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import { readPreference } from '../../src/api/response/mock-preference';

const PET = {
  type: 'object',
  required: ['id', 'name', 'sku'],
  properties: {
    id: { type: 'integer', minimum: 1, readOnly: true },
    name: { type: 'string', minLength: 1 },
    sku: { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' },
    password: { type: 'string', writeOnly: true },
  },
};
const SPEC = {
  openapi: '3.0.3',
  info: { title: 'prefer', version: '1' },
  paths: {
    '/pets/{id}': {
      get: {
        operationId: 'getPet',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: {
          200: {
            description: 'a pet',
            content: {
              'application/json': {
                schema: PET,
                examples: {
                  dog: { value: { id: 1, name: 'Rex', sku: 'DOG-0001' } },
                  cat: { value: { id: 2, name: 'Tom', sku: 'CAT-0002' } },
                },
              },
            },
          },
          404: {
            description: 'no such pet',
            content: {
              'application/problem+json': {
                schema: {
                  type: 'object',
                  required: ['title', 'status'],
                  properties: {
                    title: { type: 'string' },
                    status: { type: 'integer', enum: [404] },
                  },
                },
              },
            },
          },
          '5XX': { description: 'trouble' },
        },
      },
    },
    '/pets': {
      post: {
        operationId: 'createPet',
        requestBody: { content: { 'application/json': { schema: PET } } },
        responses: {
          201: { description: 'made', content: { 'application/json': { schema: PET } } },
        },
      },
    },
  },
};

async function boot() {
  const api = await createApi({
    spec: SPEC,
    missingHandler: 'mock',
    validation: { responses: true },
    metrics: { registry: new Registry(), processMetrics: false },
  });
  return api.app;
}

describe('mock answers and Prefer', () => {
  it('answers the status Prefer: code= asks for, generated from its schema', async () => {
    const res = await request(await boot())
      .get('/pets/1')
      .set('Prefer', 'code=404')
      .expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['preference-applied']).toBe('code=404');
    expect(res.body).toEqual({ title: expect.any(String), status: 404 });
  });

  it('answers a status a range declares', async () => {
    await request(await boot())
      .get('/pets/1')
      .set('Prefer', 'code=503')
      .expect(503);
  });

  it('answers the named example Prefer: example= asks for', async () => {
    const app = await boot();
    const cat = await request(app).get('/pets/1').set('Prefer', 'example=cat').expect(200);
    expect(cat.body).toEqual({ id: 2, name: 'Tom', sku: 'CAT-0002' });
    expect(cat.headers['preference-applied']).toBe('example="cat"');
    const dog = await request(app).get('/pets/1').set('Prefer', 'code=200; example="dog"');
    expect(dog.body).toEqual({ id: 1, name: 'Rex', sku: 'DOG-0001' });
  });

  it('answers 400 naming the declared statuses for an undeclared one', async () => {
    const res = await request(await boot())
      .get('/pets/1')
      .set('Prefer', 'code=418')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 400,
      detail: 'Prefer asks for status 418, but operation getPet declares only 200, 404, 5XX',
    });
  });

  it('answers 400 naming the examples that exist for an unknown one', async () => {
    const app = await boot();
    const res = await request(app).get('/pets/1').set('Prefer', 'example=fish').expect(400);
    expect(res.body.detail).toBe(
      'Prefer asks for the example "fish", but the 200 response of operation getPet has only the examples "dog", "cat"',
    );
    const none = await request(app)
      .get('/pets/1')
      .set('Prefer', 'code=404, example=dog')
      .expect(400);
    expect(none.body.detail).toBe(
      'Prefer asks for the example "dog", but the 404 response of operation getPet has no named examples',
    );
  });

  it('generates bodies that honour pattern, minLength, readOnly and writeOnly', async () => {
    const res = await request(await boot())
      .post('/pets')
      .send({ name: 'Rex', sku: 'DOG-0001' })
      .expect(201);
    expect(res.body).toEqual({
      id: 1,
      name: expect.any(String),
      sku: expect.stringMatching(/^[A-Z]{3}-\d{4}$/),
    });
    expect(res.body).not.toHaveProperty('password');
  });

  it('reads code and example among other preferences', () => {
    expect(readPreference('respond-async, code=202, wait=5')).toEqual({ code: 202 });
    expect(readPreference(['example="two words"', 'code=abc'])).toEqual({
      example: 'two words',
      code: Number.NaN,
    });
    expect(readPreference(undefined)).toEqual({});
  });

  it('answers 400 for a code that is not three digits', async () => {
    const res = await request(await boot())
      .get('/pets/1')
      .set('Prefer', 'code=abc')
      .expect(400);
    expect(res.body.detail).toMatch(/^Prefer asks for status that is not a 3-digit code/);
  });
});
