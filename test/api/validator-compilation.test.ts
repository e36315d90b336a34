import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src';
import * as precompile from '../../src/api/validation/precompile-validators';
import { checkServable } from '../../src/api/boot/check-servable';
import { loadSpec } from '../../src/openapi/load-spec';

// Big specs boot in seconds because validators are compiled on each operation's first request,
// from a document whose shared schemas stay `$ref`s; a schema that cannot be compiled is still
// found: by lint (checkServable) and by the operation, as a 500 problem naming the schema.

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** `count` operations over resources that all share the same nest of component schemas. */
function sharedSchemaSpec(count: number): object {
  const paths: Record<string, object> = {};
  for (let i = 0; i < count / 2; i++) {
    paths[`/things${i}/{id}`] = {
      get: {
        operationId: `getThing${i}`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: ref('Id') }],
        responses: { '200': { description: 'ok', content: json(ref('Thing')) } },
      },
      put: {
        operationId: `putThing${i}`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: ref('Id') }],
        requestBody: { required: true, content: json(ref('Thing')) },
        responses: { '200': { description: 'ok', content: json(ref('Thing')) } },
      },
    };
  }
  const part = (name: string) => ({
    type: 'object',
    properties: { a: ref(name), b: ref(name), c: { type: 'array', items: ref(name) } },
  });
  return {
    openapi: '3.0.3',
    info: { title: 'shared', version: '1' },
    paths,
    components: {
      schemas: {
        Id: { type: 'integer', minimum: 1 },
        Leaf: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
        Level3: part('Leaf'),
        Level2: part('Level3'),
        Level1: part('Level2'),
        Thing: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string', minLength: 1 }, parts: ref('Level1') },
        },
      },
    },
  };
}

describe('validator compilation', () => {
  afterEach(() => jest.restoreAllMocks());

  it('boots 1,000 operations sharing $refs without compiling any validator first', async () => {
    const compile = jest.spyOn(precompile, 'compileRequestValidators');
    const api = await createApi({
      spec: sharedSchemaSpec(1000),
      missingHandler: 'mock',
      metrics: { registry: new Registry(), processMetrics: false },
    });
    expect(api.operations).toHaveLength(1000);
    expect(compile).toHaveBeenCalledTimes(0);

    await request(api.app)
      .put('/things7/3')
      .send({ name: 'x', parts: { a: { a: { a: { name: 'leaf' } } } } })
      .expect(200);
    await request(api.app).put('/things7/3').send({ name: '' }).expect(400);
    await request(api.app).put('/things8/3').send({ name: 'y' }).expect(200);
    // One compilation per operation, on its first request only.
    expect(compile).toHaveBeenCalledTimes(2);
  });

  it('validates against shared schemas deep down the $ref chain', async () => {
    const api = await createApi({
      spec: sharedSchemaSpec(4),
      missingHandler: 'mock',
      metrics: { registry: new Registry(), processMetrics: false },
    });
    const res = await request(api.app)
      .put('/things1/3')
      .send({ name: 'x', parts: { b: { c: [{ a: { name: 5 } }] } } })
      .expect(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ in: 'body', pointer: '/parts/b/c/0/a/name' }),
    ]);
    await request(api.app).put('/things1/0').send({ name: 'x' }).expect(400);
  });
});

describe('a schema that cannot be compiled', () => {
  // OpenAPI 3.1's own schema leaves schema objects to JSON Schema, which ajv alone checks.
  const spec = {
    openapi: '3.1.0',
    info: { title: 'misspelt type', version: '1' },
    paths: {
      '/codes': {
        post: {
          operationId: 'createCode',
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              properties: { code: { type: 'strin' } },
            }),
          },
          responses: { '201': { description: 'created' } },
        },
        get: {
          operationId: 'listCodes',
          responses: {
            '200': {
              description: 'ok',
              content: json({ type: 'array', items: { type: 'string' } }),
            },
          },
        },
      },
    },
  };

  it('is a lint problem with its pointer', async () => {
    const { problems } = checkServable(await loadSpec(spec));
    expect(problems).toEqual([
      expect.objectContaining({
        operationId: 'createCode',
        pointer: '#/paths/~1codes/post/requestBody/content/application~1json',
        message: expect.stringContaining('cannot be compiled'),
      }),
    ]);
  });

  it('answers its operation with a 500 problem naming the schema, counted as an exception', async () => {
    const registry = new Registry();
    const api = await createApi({
      spec,
      handlers: { createCode: () => ({}), listCodes: () => ['a'] },
      metrics: { registry, processMetrics: false },
    });
    for (let i = 0; i < 2; i++) {
      const res = await request(api.app).post('/codes').send({ code: 'x' }).expect(500);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.detail).toContain(
        '#/paths/~1codes/post/requestBody/content/application~1json',
      );
    }
    await request(api.app).get('/codes').expect(200, ['a']);
    const text = await registry.metrics();
    const exceptions = text
      .split('\n')
      .filter((line) => line.startsWith('express_http_request_exceptions_total'));
    expect(exceptions).toEqual([
      'express_http_request_exceptions_total{method="POST",status="500"} 2',
    ]);
  });
});

describe('what OpenAPI says beyond JSON Schema', () => {
  const schemas = {
    Cat: {
      type: 'object',
      required: ['petType', 'name'],
      properties: { petType: { type: 'string' }, name: { type: 'string' } },
    },
    Dog: {
      type: 'object',
      required: ['petType', 'bark'],
      properties: { petType: { type: 'string' }, bark: { type: 'boolean' } },
    },
    Account: {
      type: 'object',
      required: ['id', 'login', 'password'],
      properties: {
        id: { type: 'integer', readOnly: true },
        login: { type: 'string' },
        password: { type: 'string', writeOnly: true },
      },
    },
  };
  const spec = {
    openapi: '3.0.3',
    info: { title: 'discriminated', version: '1' },
    paths: {
      '/pets': {
        post: {
          operationId: 'addPet',
          requestBody: {
            required: true,
            content: json({
              oneOf: [ref('Cat'), ref('Dog')],
              discriminator: {
                propertyName: 'petType',
                mapping: { kitty: '#/components/schemas/Cat' },
              },
            }),
          },
          responses: { '204': { description: 'added' } },
        },
      },
      '/accounts': {
        post: {
          operationId: 'addAccount',
          requestBody: { required: true, content: json(ref('Account')) },
          responses: { '201': { description: 'created', content: json(ref('Account')) } },
        },
      },
    },
    components: { schemas },
  };

  it('picks the branch a discriminator names, whatever the others accept', async () => {
    const api = await createApi({
      spec,
      handlers: { addPet: () => undefined, addAccount: () => ({ id: 1, login: 'a' }) },
      metrics: { registry: new Registry(), processMetrics: false },
    });
    // Valid for both Cat and Dog: plain oneOf would refuse it.
    await request(api.app)
      .post('/pets')
      .send({ petType: 'kitty', name: 'Tom', bark: true })
      .expect(204);
    await request(api.app)
      .post('/pets')
      .send({ petType: 'Dog', bark: true, name: 'Rex' })
      .expect(204);
    await request(api.app).post('/pets').send({ petType: 'kitty', bark: true }).expect(400);
    await request(api.app).post('/pets').send({ petType: 'cow', name: 'x' }).expect(400);
  });

  it('requires readOnly properties in responses only, writeOnly ones in requests only', async () => {
    const api = await createApi({
      spec,
      handlers: { addPet: () => undefined, addAccount: () => ({ id: 1, login: 'a' }) },
      validation: { responses: true },
      metrics: { registry: new Registry(), processMetrics: false },
    });
    await request(api.app)
      .post('/accounts')
      .send({ login: 'a', password: 'p' })
      .expect(201, { id: 1, login: 'a' });
    await request(api.app).post('/accounts').send({ login: 'a' }).expect(400);
  });
});
