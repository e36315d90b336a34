import express from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src';

// express-openapi-validator's compiled validators are called directly once an operation and
// content type have been seen: the answers must not change from the first request to the next.
const {
  RequestParameterMutator,
} = require('express-openapi-validator/dist/middlewares/parsers/req.parameter.mutator');

const json = (schema: object) => ({ 'application/json': { schema } });
const spec = {
  openapi: '3.0.3',
  info: { title: 'prepared', version: '1' },
  paths: {
    '/pets/{petId}': {
      put: {
        operationId: 'putPet',
        parameters: [
          { name: 'petId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
          { name: 'x-version', in: 'header', schema: { type: 'integer' } },
        ],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', minLength: 1 },
              status: { type: 'string', enum: ['available', 'sold'], default: 'available' },
            },
          }),
        },
        responses: { '200': { description: 'ok', content: json({ type: 'object' }) } },
      },
    },
    '/pets': {
      get: {
        operationId: 'listPets',
        parameters: [
          {
            name: 'tags',
            in: 'query',
            schema: { type: 'array', items: { type: 'string' } },
            explode: false,
          },
          { name: 'limit', in: 'query', schema: { type: 'integer', default: 20 } },
        ],
        responses: { '200': { description: 'ok', content: json({ type: 'object' }) } },
      },
    },
  },
};

async function boot() {
  const api = await createApi({
    spec,
    metrics: { registry: new Registry(), processMetrics: false },
    handlers: {
      putPet: ({ params, headers, body }) => ({ params, version: headers['x-version'], body }),
      listPets: ({ query }) => ({ query }),
    },
  });
  return api.app;
}

async function thrice(send: () => request.Test): Promise<{ status: number; body: unknown }> {
  const answers: Array<{ status: number; body: unknown }> = [];
  for (let i = 0; i < 3; i++) {
    const res = await send();
    answers.push({ status: res.status, body: res.body as unknown });
  }
  expect(answers[1]).toEqual(answers[0]);
  expect(answers[2]).toEqual(answers[0]);
  return answers[0] as { status: number; body: unknown };
}

describe('prepared request validation', () => {
  let modifyRequest: jest.SpyInstance;
  beforeEach(() => {
    modifyRequest = jest.spyOn(RequestParameterMutator.prototype, 'modifyRequest');
  });
  afterEach(() => modifyRequest.mockRestore());

  it('coerces parameters and applies body defaults the same way every time, without the per-request deserialiser', async () => {
    const app = await boot();
    const answer = await thrice(() =>
      request(app).put('/pets/7').set('x-version', '3').send({ name: 'rex' }),
    );
    expect(answer).toEqual({
      status: 200,
      body: { params: { petId: 7 }, version: 3, body: { name: 'rex', status: 'available' } },
    });
    expect(modifyRequest).toHaveBeenCalledTimes(1);
  });

  it('answers invalid requests with every issue, the same way every time', async () => {
    const app = await boot();
    await request(app).put('/pets/7').send({ name: 'warm-up' }).expect(200);
    const answer = await thrice(() =>
      request(app).put('/pets/0').set('x-version', 'new').send({ name: '', colour: 'red' }),
    );
    expect(answer.status).toBe(400);
    const pointers = (answer.body as { errors: Array<{ in: string; pointer: string }> }).errors.map(
      (e) => `${e.in} ${e.pointer}`,
    );
    expect(pointers).toEqual(
      expect.arrayContaining(['path /petId', 'header /x-version', 'body /name', 'body /colour']),
    );
  });

  it('validates each content type of an operation', async () => {
    const app = await boot();
    for (const type of ['application/json', 'application/json; charset=utf-8']) {
      await thrice(() =>
        request(app).put('/pets/7').set('content-type', type).send('{"name":"rex"}'),
      );
      const bad = await thrice(() =>
        request(app).put('/pets/7').set('content-type', type).send('{"name":7}'),
      );
      expect(bad.status).toBe(400);
    }
    const unsupported = await thrice(() =>
      request(app).put('/pets/7').set('content-type', 'text/plain').send('rex'),
    );
    expect(unsupported.status).toBe(415);
  });

  it('leaves query strings and query parameters to the full validator', async () => {
    const app = await boot();
    const list = await thrice(() => request(app).get('/pets?tags=a,b'));
    expect(list).toEqual({ status: 200, body: { query: { tags: ['a', 'b'], limit: 20 } } });
    expect(modifyRequest).toHaveBeenCalledTimes(3);
    // No query string, yet the defaults of declared query parameters reach the handler.
    expect((await thrice(() => request(app).get('/pets'))).body).toEqual({ query: { limit: 20 } });
    const unknown = await thrice(() => request(app).put('/pets/7?debug=1').send({ name: 'rex' }));
    expect(unknown.status).toBe(400);
  });
});

describe('request bodies', () => {
  const bodySpec = (required?: boolean) => ({
    openapi: '3.0.3',
    info: { title: 'bodies', version: '1' },
    paths: {
      '/notes': {
        post: {
          operationId: 'addNote',
          requestBody: {
            ...(required === undefined ? {} : { required }),
            content: json({
              type: 'object',
              required: ['text'],
              properties: { text: { type: 'string' } },
            }),
          },
          responses: { '200': { description: 'ok', content: json({ type: 'object' }) } },
        },
      },
    },
  });
  const boot = (required?: boolean) =>
    createApi({
      spec: bodySpec(required),
      metrics: { registry: new Registry(), processMetrics: false },
      handlers: { addNote: ({ body }) => ({ received: body ?? null }) },
    });

  it('treats a body as optional unless the spec says required: true (the OpenAPI default)', async () => {
    for (const required of [undefined, false]) {
      const { app } = await boot(required);
      await request(app).post('/notes').expect(200, { received: null });
      // A client that labels an empty body application/json sent no body either.
      await request(app).post('/notes').set('content-type', 'application/json').expect(200);
      await request(app)
        .post('/notes')
        .send({ text: 'hi' })
        .expect(200, { received: { text: 'hi' } });
    }
  });

  it('answers a missing required body with a 400 problem saying so', async () => {
    const { app } = await boot(true);
    const res = await request(app).post('/notes').expect(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body.errors).toEqual([
      { in: 'body', pointer: '', message: 'a request body is required', keyword: 'required' },
    ]);
    await request(app).post('/notes').send({ text: 'hi' }).expect(200);
  });
});

describe('validators compiled at boot', () => {
  const spec31 = (items: object) => ({
    openapi: '3.1.0',
    info: { title: 'tuples', version: '1' },
    paths: {
      '/pairs': {
        post: {
          operationId: 'addPair',
          requestBody: { required: true, content: json({ type: 'array', ...items }) },
          responses: { '200': { description: 'ok', content: json({ type: 'object' }) } },
        },
      },
    },
  });

  it('accepts OpenAPI 3.1 prefixItems that leave the rest of the array open', async () => {
    const api = await createApi({
      spec: spec31({ prefixItems: [{ type: 'string' }, { type: 'integer' }] }),
      metrics: { registry: new Registry(), processMetrics: false },
      handlers: { addPair: ({ body }) => ({ pair: body }) },
    });
    await request(api.app).post('/pairs').send(['a', 1, 'more']).expect(200);
    const bad = await request(api.app).post('/pairs').send([1, 'a']).expect(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/0', '/1']);
  });

  it('boots with a schema ajv cannot compile, whose operation answers a 500 naming it', async () => {
    // DESIGN §8: compiling is left to each operation's first request; lint reports it up front.
    const api = await createApi({
      spec: spec31({ items: { type: 'string', pattern: '(' } }),
      metrics: { registry: new Registry(), processMetrics: false },
      handlers: { addPair: () => ({}) },
    });
    const res = await request(api.app).post('/pairs').send(['a']).expect(500);
    expect(res.body.detail).toContain('#/paths/~1pairs/post/requestBody/content/application~1json');
  });
});

describe('object query parameters', () => {
  const range = {
    type: 'object',
    properties: { min: { type: 'integer' }, max: { type: 'integer' } },
  };
  const page = {
    type: 'object',
    properties: { size: { type: 'integer' }, number: { type: 'integer' } },
  };
  const boot = () =>
    createApi({
      spec: {
        openapi: '3.0.3',
        info: { title: 'objects', version: '1' },
        paths: {
          '/search': {
            get: {
              operationId: 'search',
              parameters: [
                { name: 'f', in: 'query', style: 'deepObject', explode: true, schema: range },
                { name: 'page', in: 'query', schema: page },
              ],
              responses: { '200': { description: 'ok', content: json({ type: 'object' }) } },
            },
          },
        },
      },
      metrics: { registry: new Registry(), processMetrics: false },
      handlers: { search: ({ query }) => ({ query }) },
    });

  it('deserialises deepObject and form-exploded object parameters on the app createApi makes', async () => {
    const { app } = await boot();
    const deep = await request(app).get('/search?f[min]=5&f[max]=9').expect(200);
    expect(deep.body.query.f).toEqual({ min: 5, max: 9 });
    const form = await request(app).get('/search?size=10&number=2').expect(200);
    expect(form.body.query.page).toEqual({ size: 10, number: 2 });
    const bad = await request(app).get('/search?f[min]=low').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ in: 'query', keyword: 'type' })]);
    const unknown = await request(app).get('/search?color=red').expect(400);
    expect(unknown.body.errors[0].message).toBe("unknown query parameter 'color'");
  });
});

describe('form bodies', () => {
  const person = {
    type: 'object',
    required: ['name', 'age'],
    properties: {
      name: { type: 'string' },
      age: { type: 'integer' },
      member: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string' } },
    },
  };
  const boot = () =>
    createApi({
      spec: {
        openapi: '3.0.3',
        info: { title: 'forms', version: '1' },
        paths: {
          '/people': {
            post: {
              operationId: 'addPerson',
              requestBody: {
                required: true,
                content: {
                  'application/x-www-form-urlencoded': { schema: person },
                  'application/json': { schema: person },
                },
              },
              responses: { '200': { description: 'ok', content: json({ type: 'object' }) } },
            },
          },
        },
      },
      metrics: { registry: new Registry(), processMetrics: false },
      handlers: { addPerson: ({ body }) => ({ body }) },
    });

  it('coerces form fields to their schema types, and leaves JSON bodies their own types', async () => {
    const { app } = await boot();
    for (let i = 0; i < 2; i++) {
      const form = await request(app)
        .post('/people')
        .type('form')
        .send('name=bo&age=3&member=true')
        .expect(200);
      expect(form.body.body).toEqual({ name: 'bo', age: 3, member: true });
    }
    const oneTag = await request(app).post('/people').type('form').send('name=bo&age=3&tags=a');
    expect(oneTag.body.body.tags).toEqual(['a']);
    const badForm = await request(app).post('/people').type('form').send('name=bo&age=old');
    expect(badForm.status).toBe(400);
    const jsonWithText = await request(app).post('/people').send({ name: 'bo', age: '3' });
    expect(jsonWithText.status).toBe(400);
  });
});

describe('ctx.query', () => {
  it('is the same kind of object from the first request on, and takes names with brackets', async () => {
    const api = await createApi({
      spec: {
        openapi: '3.0.3',
        info: { title: 'query', version: '1' },
        paths: {
          '/items/{id}': {
            get: {
              operationId: 'getItem',
              parameters: [
                { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
                { name: 'filter[name]', in: 'query', schema: { type: 'string' } },
              ],
              responses: { '200': { description: 'ok', content: json({ type: 'object' }) } },
            },
          },
          '/plain/{id}': {
            get: {
              operationId: 'getPlain',
              parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
              responses: { '200': { description: 'ok', content: json({ type: 'object' }) } },
            },
          },
        },
      },
      metrics: { registry: new Registry(), processMetrics: false },
      handlers: {
        getItem: ({ query }) => ({ query }),
        getPlain: ({ query }) => ({
          prototype: Object.getPrototypeOf(query) === null ? null : 'object',
        }),
      },
    });
    const kind = await thrice(() => request(api.app).get('/plain/1'));
    expect(kind.status).toBe(200);
    // A declared name with brackets is that parameter, not a nested object.
    const filtered = await thrice(() => request(api.app).get('/items/1?filter[name]=rex'));
    expect(filtered).toEqual({ status: 200, body: { query: { 'filter[name]': 'rex' } } });
  });

  it('takes names with brackets on an app whose query parser nests them', async () => {
    const app = express();
    app.set('query parser', 'extended'); // Express 4's default: `filter: { name: 'rex' }`
    await createApi({
      app,
      spec: {
        openapi: '3.0.3',
        info: { title: 'query', version: '1' },
        paths: {
          '/items': {
            get: {
              operationId: 'listItems',
              parameters: [
                { name: 'filter[name]', in: 'query', schema: { type: 'string' } },
                { name: 'page', in: 'query', schema: { type: 'integer' } },
              ],
              responses: { '200': { description: 'ok', content: json({ type: 'object' }) } },
            },
          },
        },
      },
      metrics: { registry: new Registry(), processMetrics: false },
      handlers: { listItems: ({ query }) => ({ query }) },
    });
    const res = await request(app).get('/items?filter[name]=rex&page=2').expect(200);
    expect(res.body).toEqual({ query: { 'filter[name]': 'rex', page: 2 } });
  });
});
