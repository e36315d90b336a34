import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import { mockResult } from '../../src/api/response/mock-response';
import { serveResult } from '../fixtures/converter-app/serve-result';

type Schema = Record<string, unknown>;

function jsonOperation(schema: Schema, media: Schema = {}): OpenAPIV3.OperationObject {
  return {
    operationId: 'mocked',
    responses: {
      '200': { description: 'ok', content: { 'application/json': { ...media, schema } } },
    },
  };
}

const mockBody = (schema: Schema, media?: Schema): unknown =>
  mockResult(jsonOperation(schema, media)).body;

// Formats as the response validator checks them.
const ajv = addFormats(new Ajv({ strict: false }));
const isValid = (schema: Schema, value: unknown): boolean => ajv.validate(schema, value);

describe('mockResult: which response', () => {
  it('answers the lowest declared 2xx with its first media type', () => {
    const result = mockResult({
      responses: {
        '202': { description: 'later', content: { 'text/plain': { example: 'queued' } } },
        '201': {
          description: 'created',
          headers: { Location: { schema: { type: 'string', example: '/pets/1' } } },
          content: {
            'application/vnd.pet+json': { example: { id: 1 } },
            'application/xml': { example: '<pet/>' },
          },
        },
        default: { description: 'error', content: { 'application/problem+json': {} } },
      },
    });
    expect(result).toMatchObject({
      status: 201,
      contentType: 'application/vnd.pet+json',
      body: { id: 1 },
      headers: { Location: '/pets/1' },
    });
  });

  it('falls back to the default response with status 200', () => {
    const result = mockResult({
      responses: { default: { description: 'x', content: { 'text/plain': { example: 'hi' } } } },
    });
    expect(result).toMatchObject({ status: 200, contentType: 'text/plain', body: 'hi' });
  });

  it('has no body for 204 or a response without content', () => {
    expect(mockResult({ responses: { '204': { description: 'gone' } } })).toMatchObject({
      status: 204,
      body: undefined,
    });
    expect(mockResult({ responses: { '202': { description: 'queued' } } })).toMatchObject({
      status: 202,
      body: undefined,
    });
  });
});

describe('mockResult: examples before generation', () => {
  const schema = { type: 'object', example: { from: 'schema' }, default: { from: 'default' } };

  it('prefers the media type example', () => {
    expect(mockBody(schema, { example: { from: 'media' } })).toEqual({ from: 'media' });
  });

  it('then the first of the media type examples', () => {
    const examples = { first: { value: { from: 'first' } }, second: { value: { from: 'second' } } };
    expect(mockBody(schema, { examples })).toEqual({ from: 'first' });
  });

  it("then the schema's example, its 3.1 examples, then its default", () => {
    expect(mockBody(schema)).toEqual({ from: 'schema' });
    expect(mockBody({ type: 'string', examples: ['three-one'] })).toBe('"three-one"');
    expect(mockBody({ type: 'integer', default: 5 })).toBe(5);
  });

  it('keeps a null example', () => {
    expect(mockBody({ type: 'object', nullable: true }, { example: null })).toBeNull();
  });
});

describe('mockResult: generated from the schema', () => {
  it('fills required properties, arrays with one item, and the first enum value', () => {
    const pet = {
      type: 'object',
      required: ['id', 'tags', 'status', 'owner'],
      properties: {
        id: { type: 'integer', format: 'int64', minimum: 1 },
        nickname: { type: 'string' },
        tags: { type: 'array', items: { type: 'string', minLength: 8 } },
        status: { type: 'string', enum: ['available', 'sold'] },
        owner: {
          type: 'object',
          required: ['email'],
          properties: { email: { type: 'string', format: 'email' } },
        },
      },
    };
    const body = mockBody(pet);
    expect(body).toEqual({
      id: 1,
      tags: ['stringxx'],
      status: 'available',
      owner: { email: expect.any(String) },
    });
    expect(isValid(pet, body)).toBe(true);
  });

  it.each([
    'date-time',
    'date',
    'time',
    'uuid',
    'uri',
    'email',
    'ipv4',
    'ipv6',
    'hostname',
    'byte',
  ])('gives a %s string that passes the format check, the same one every time', (format) => {
    const schema = { type: 'string', format };
    const body = mockResult(jsonOperation(schema)).body as string;
    expect(isValid(schema, JSON.parse(body))).toBe(true);
    expect(mockResult(jsonOperation(schema)).body).toBe(body);
  });

  it.each([
    '^[A-Z]{3}-\\d{4}$',
    '^\\+?[1-9]\\d{6,14}$',
    '^(dog|cat|fish)s?$',
    '^[a-f0-9]{40}$',
    '^#[0-9a-fA-F]{6}$',
  ])('gives a string matching the pattern %s', (pattern) => {
    const schema = { type: 'string', pattern };
    const body = JSON.parse(mockResult(jsonOperation(schema)).body as string) as string;
    expect(body).toMatch(new RegExp(pattern));
  });

  it.each([
    [{ type: 'integer', minimum: 10 }, 10],
    [{ type: 'integer', minimum: 10, exclusiveMinimum: true }, 11],
    [{ type: 'number', exclusiveMinimum: 2.5 }, 3.5],
    [{ type: 'integer', minimum: 7, multipleOf: 5 }, 10],
    [{ type: 'number', maximum: -3 }, -3],
    [{ type: 'number' }, 0],
  ])('honours numeric bounds %j', (schema, value) => {
    expect(mockBody(schema)).toBe(value);
  });

  it('merges allOf parts and picks the first oneOf/anyOf option', () => {
    const named = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
    const aged = { type: 'object', required: ['age'], properties: { age: { type: 'integer' } } };
    expect(mockBody({ allOf: [named, aged] })).toEqual({ name: 'string', age: 0 });
    expect(mockBody({ oneOf: [aged, named] })).toEqual({ age: 0 });
    expect(mockBody({ anyOf: [{ type: 'boolean' }, named] })).toBe(true);
  });

  it('handles 3.1 type lists and untyped schemas', () => {
    expect(mockBody({ type: ['null', 'integer'] })).toBe(0);
    expect(mockBody({ properties: {}, required: [] })).toEqual({});
    expect(mockBody({})).toBeNull();
  });

  it('stops at cycles without infinite recursion', () => {
    const node: Schema = { type: 'object', required: ['name', 'children', 'parent'] };
    node.properties = {
      name: { type: 'string' },
      children: { type: 'array', items: node },
      parent: node,
    };
    const tree: Schema = { oneOf: [] };
    (tree.oneOf as Schema[]).push(tree, { type: 'string' });
    expect(mockBody(node)).toEqual({ name: 'string', children: [] });
    expect(mockBody(tree)).toBe('"string"');
  });
});

describe('mockResult over HTTP', () => {
  it('is sent by sendResult with its status, type and headers', async () => {
    const operation: OpenAPIV3_1.OperationObject = {
      responses: {
        '201': {
          description: 'created',
          headers: { Location: { schema: { type: 'string', default: '/pets/1' } } },
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['id', 'createdAt'],
                properties: {
                  id: { type: 'string', format: 'uuid' },
                  createdAt: { type: 'string', format: 'date-time' },
                },
              },
            },
          },
        },
      },
    };
    const app = serveResult(operation as OpenAPIV3.OperationObject, () => mockResult(operation));
    const response = await request(app).get('/r');
    expect(response.status).toBe(201);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers.location).toBe('/pets/1');
    const created = operation.responses?.['201'] as OpenAPIV3_1.ResponseObject;
    const schema = created.content?.['application/json']?.schema as Schema;
    expect(Object.keys(response.body as object)).toEqual(['id', 'createdAt']);
    expect(isValid(schema, response.body)).toBe(true);
  });

  it('sends a JSON string example as valid JSON', async () => {
    const operation = jsonOperation({ type: 'string', example: 'hello' });
    const response = await request(serveResult(operation, () => mockResult(operation))).get('/r');
    expect(response.text).toBe('"hello"');
    expect(response.body).toBe('hello');
  });
});

describe('mockResult: optional properties', () => {
  it('adds optional properties from their examples and defaults, in declared order', () => {
    const schema = {
      type: 'object',
      required: ['id'],
      properties: {
        name: { type: 'string', example: 'Rex' },
        id: { type: 'integer' },
        nickname: { type: 'string' },
        age: { type: 'integer', default: 3 },
        tags: { type: 'array', items: { type: 'string', examples: ['good'] } },
      },
    };
    expect(mockBody(schema)).toEqual({ name: 'Rex', id: 0, age: 3, tags: ['good'] });
    expect(Object.keys(mockBody(schema) as object)).toEqual(['name', 'id', 'age', 'tags']);
  });

  it('leaves out optional properties without a sample, enums and consts included', () => {
    const schema = {
      type: 'object',
      properties: {
        level: { type: 'string', enum: ['low'] },
        kind: { const: 'pet' },
        owner: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
      },
    };
    expect(mockBody(schema)).toEqual({});
  });

  it('leaves out writeOnly properties, whatever their example', () => {
    const schema = {
      type: 'object',
      properties: { password: { type: 'string', writeOnly: true, example: 's3cret' } },
    };
    expect(mockBody(schema)).toEqual({});
  });

  it('stops at cycles through optional properties', () => {
    const node: Schema = { type: 'object' };
    node.properties = { name: { type: 'string', example: 'root' }, child: node };
    expect(mockBody(node)).toEqual({ name: 'root' });
  });

  it('keeps required properties when shared schemas are too many to expand', () => {
    const leaf = { type: 'object', properties: { n: { type: 'integer', example: 1 } } };
    let node: Schema = leaf;
    // 2^20 paths to the leaf: the generation stops adding optional parts instead of walking them.
    for (let level = 0; level < 20; level++) {
      node = { type: 'object', required: ['a'], properties: { a: node, b: node } };
    }
    const body = mockBody(node) as Schema;
    expect(body).toHaveProperty('a.a.a.a.a.a.a.a.a.a.a');
  });
});

describe('mock answers over HTTP', () => {
  const spec = join(__dirname, '..', 'fixtures', 'mock-optional-properties', 'openapi.yaml');
  const boot = () =>
    createApi({
      spec,
      missingHandler: 'mock',
      validation: { requests: true, responses: true },
      metrics: { registry: new Registry(), processMetrics: false },
    });
  const profile = {
    name: 'Rex',
    age: 3,
    address: { city: 'Lyon' },
    tags: [{ label: 'friendly' }],
    contact: { email: 'rex@example.com' },
  };

  it('builds an object of optional properties from their examples and defaults', async () => {
    const { app } = await boot();
    const response = await request(app).get('/profile');
    expect(response.status).toBe(200);
    expect(response.body).toEqual(profile);
  });

  it('adds sampled optional properties beside the generated required ones', async () => {
    const { app } = await boot();
    const response = await request(app).get('/account');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 1, plan: 'free', profile });
  });

  it('answers {} when no optional property has a sample', async () => {
    const { app } = await boot();
    const response = await request(app).get('/plain');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({});
  });

  it("prefers the media type's example to the properties' samples", async () => {
    const { app } = await boot();
    const response = await request(app).get('/featured');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ name: 'Featured' });
  });
});
