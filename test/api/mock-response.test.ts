import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import request from 'supertest';
import { mockResult } from '../../src/api/mock-response';
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
  it('fills only required properties, arrays with one item, and the first enum value', () => {
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
    expect(mockBody(pet)).toEqual({
      id: 1,
      tags: ['stringxx'],
      status: 'available',
      owner: { email: 'user@example.com' },
    });
  });

  it.each([
    ['date-time', '2024-01-01T00:00:00Z'],
    ['date', '2024-01-01'],
    ['uuid', '00000000-0000-4000-8000-000000000000'],
    ['uri', 'https://example.com/'],
    ['ipv4', '192.0.2.1'],
  ])('gives a valid-looking %s string', (format, value) => {
    expect(mockResult(jsonOperation({ type: 'string', format })).body).toBe(JSON.stringify(value));
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
    expect(response.text).toBe(
      '{"id":"00000000-0000-4000-8000-000000000000","createdAt":"2024-01-01T00:00:00Z"}',
    );
  });

  it('sends a JSON string example as valid JSON', async () => {
    const operation = jsonOperation({ type: 'string', example: 'hello' });
    const response = await request(serveResult(operation, () => mockResult(operation))).get('/r');
    expect(response.text).toBe('"hello"');
    expect(response.body).toBe('hello');
  });
});
