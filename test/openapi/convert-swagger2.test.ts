import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { SpectrometerError } from '../../src/errors';
import { inspectSpec, loadSpec } from '../../src/openapi/load-spec';
import { pointIntoSwagger2 } from '../../src/openapi/swagger2-pointers';

const fixture = (name: string): string => join(__dirname, '..', 'fixtures', name, 'openapi.yaml');

type Node = Record<string, unknown>;

describe('Swagger 2.0 documents', () => {
  it('are converted to OpenAPI 3.0 on load, keeping x- extensions', async () => {
    const spec = await loadSpec(fixture('swagger-2'));
    expect(spec.convertedFrom).toBe('2.0');
    expect(spec.version).toBe('3.0');
    expect(spec.document.openapi).toBe('3.0.0');
    expect(spec.document.servers).toEqual([{ url: '/v2' }]);
    expect((spec.document as unknown as Node)['x-metrics']).toEqual({ prefix: 'swagger_petstore' });
    expect(spec.document.components!.securitySchemes).toEqual({
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    });
    expect(spec.operations.map((op) => [op.operationId, op.method, op.expressPath])).toEqual([
      ['listPets', 'get', '/pets'],
      ['createPet', 'post', '/pets'],
      ['getPet', 'get', '/pets/:petId'],
    ]);
  });

  it('turn a body parameter into a requestBody and types into schemas', async () => {
    const { operations } = await loadSpec(fixture('swagger-2'));
    const [list, create, get] = operations;
    expect(list!.parameters).toEqual([
      { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
    ]);
    expect(create!.operation.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: expect.objectContaining({ required: ['name'] }) } },
    });
    expect(get!.parameters).toEqual([
      { name: 'petId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
    ]);
  });

  it('say so in a boot warning', async () => {
    const { warnings, problems } = await inspectSpec(fixture('swagger-2'));
    expect(problems).toEqual([]);
    expect(warnings).toEqual([
      { pointer: '#/swagger', message: 'converted from Swagger 2.0 with swagger2openapi' },
    ]);
  });

  it('report problems with pointers into the Swagger 2.0 document', async () => {
    const { problems, warnings } = await inspectSpec(fixture('swagger-2-invalid'));
    expect(problems.map(({ pointer, message }) => `${pointer} ${message}`)).toEqual([
      '#/paths/~1pets/get/parameters/0 $ref "#/parameters/offset" at #/paths/~1pets/get/parameters/0 points to nothing',
      '#/paths/~1pets/post/parameters/1/minimum must be number',
      '#/paths/~1pets/post/parameters/0/schema/properties/name/type must be equal to one of the allowed values',
      // Checked once where it is defined, after the paths.
      '#/definitions/Pet/properties/name/type must be equal to one of the allowed values',
    ]);
    expect(warnings).toContainEqual({
      pointer: '#/paths/~1pets/get/parameters/1',
      message: 'swagger2openapi: collectionFormat:tsv is no longer supported',
    });
  });

  it('that cannot be converted are SPM_SPEC_INVALID errors', async () => {
    const error = await loadSpec({ swagger: '1.2', info: {}, paths: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpectrometerError);
    expect(error).toMatchObject({ code: 'SPM_SPEC_INVALID' });
    expect((error as SpectrometerError).problems).toEqual([
      expect.objectContaining({
        pointer: '#/swagger',
        message: expect.stringContaining(
          'could not be converted to OpenAPI 3.0 by swagger2openapi: Unsupported swagger/OpenAPI version: 1.2',
        ),
      }),
    ]);
  });

  it('are converted without a network request, leaving remote $refs to be refused', async () => {
    const requests = [jest.spyOn(http, 'request'), jest.spyOn(https, 'request')];
    try {
      const { problems } = await inspectSpec({
        swagger: '2.0',
        info: { title: 'remote', version: '1' },
        paths: {
          '/a': {
            get: {
              operationId: 'getA',
              responses: {
                '200': { description: 'ok', schema: { $ref: 'https://example.com/pet.yaml' } },
              },
            },
          },
        },
      });
      expect(problems.map((p) => p.message)).toEqual([
        expect.stringMatching(
          /^remote \$ref "https:\/\/example.com\/pet.yaml" at .* is not fetched/,
        ),
      ]);
      expect(requests.map((spy) => spy.mock.calls.length)).toEqual([0, 0]);
    } finally {
      requests.forEach((spy) => spy.mockRestore());
    }
  });
});

describe('pointIntoSwagger2', () => {
  const swagger = {
    swagger: '2.0',
    parameters: { limit: { name: 'limit', in: 'query', type: 'integer' } },
    responses: { NotFound: { description: 'no', schema: { type: 'object' } } },
    securityDefinitions: { key: { type: 'apiKey', in: 'header', name: 'k' } },
    definitions: { Pet: { type: 'object' } },
    paths: {
      '/a': {
        post: {
          parameters: [
            { in: 'formData', name: 'file', type: 'file' },
            { $ref: '#/parameters/limit' },
          ],
          responses: { '404': { $ref: '#/responses/NotFound' } },
        },
      },
    },
  };
  const openapi = {
    paths: {
      '/a': {
        post: {
          parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer' } }],
          requestBody: {
            content: {
              'multipart/form-data': { schema: { properties: { file: { type: 'string' } } } },
            },
          },
        },
      },
    },
  };
  const at = (pointer: string): string | undefined =>
    pointIntoSwagger2({ pointer, message: 'm' }, swagger, openapi).pointer;

  it('maps the components to their Swagger 2.0 sections', () => {
    expect(at('#/components/schemas/Pet/type')).toBe('#/definitions/Pet/type');
    expect(at('#/components/parameters/limit/schema/type')).toBe('#/parameters/limit/type');
    expect(at('#/components/responses/NotFound/content/application~1json/schema/type')).toBe(
      '#/responses/NotFound/schema/type',
    );
    expect(at('#/components/securitySchemes/key/in')).toBe('#/securityDefinitions/key/in');
  });

  it('finds parameters by name, through their $ref, and form fields in the requestBody', () => {
    expect(at('#/paths/~1a/post/parameters/0/schema/type')).toBe('#/parameters/limit/type');
    expect(
      at('#/paths/~1a/post/requestBody/content/multipart~1form-data/schema/properties/file/type'),
    ).toBe('#/paths/~1a/post/parameters/0/type');
    expect(at('#/paths/~1a/post/responses/404/description')).toBe(
      '#/responses/NotFound/description',
    );
  });

  it('keeps the pointer into the conversion, and says so, when there is no such place', () => {
    expect(
      pointIntoSwagger2({ pointer: '#/servers/0/url', message: 'must be a URL' }, swagger, openapi),
    ).toEqual({
      pointer: '#/servers/0/url',
      message: 'must be a URL (converted from Swagger 2.0)',
    });
  });

  it('rewrites the pointer and the $ref named in the message', () => {
    expect(
      pointIntoSwagger2(
        {
          pointer: '#/components/schemas/Pet',
          message: '$ref "#/components/schemas/Gone" at #/components/schemas/Pet points to nothing',
        },
        swagger,
        openapi,
      ),
    ).toEqual({
      pointer: '#/definitions/Pet',
      message: '$ref "#/definitions/Gone" at #/definitions/Pet points to nothing',
    });
  });
});
