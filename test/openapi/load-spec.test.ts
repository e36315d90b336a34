import { join } from 'node:path';
import { SpectrometerError } from '../../src/errors';
import { loadSpec } from '../../src/openapi/load-spec';
import { toBasePath } from '../../src/openapi/base-path';

const fixture = (name: string): string => join(__dirname, '..', 'fixtures', name, 'openapi.yaml');

async function loadError(source: string | object): Promise<SpectrometerError> {
  try {
    await loadSpec(source);
  } catch (error) {
    if (error instanceof SpectrometerError) return error;
    throw error;
  }
  throw new Error('expected loadSpec to fail');
}

describe('loadSpec', () => {
  it('lists the operations of the petstore with pointers and Express paths', async () => {
    const spec = await loadSpec(join(__dirname, '..', '..', 'specs', 'petstore.yaml'));
    expect(spec.version).toBe('3.0');
    expect(
      spec.operations.map((op) => [op.operationId, op.method, op.path, op.expressPath, op.pointer]),
    ).toEqual([
      ['listPets', 'get', '/pets', '/pets', '#/paths/~1pets/get'],
      ['createPet', 'post', '/pets', '/pets', '#/paths/~1pets/post'],
      ['getPet', 'get', '/pets/{petId}', '/pets/:petId', '#/paths/~1pets~1{petId}/get'],
      ['deletePet', 'delete', '/pets/{petId}', '/pets/:petId', '#/paths/~1pets~1{petId}/delete'],
      [
        'getPetCard',
        'get',
        '/pets/{petId}/card',
        '/pets/:petId/card',
        '#/paths/~1pets~1{petId}~1card/get',
      ],
      [
        'getPetPhoto',
        'get',
        '/pets/{petId}/photo',
        '/pets/:petId/photo',
        '#/paths/~1pets~1{petId}~1photo/get',
      ],
      ['getHealth', 'get', '/health', '/health', '#/paths/~1health/get'],
    ]);
  });

  it('resolves $refs into other files, relative to the referring file', async () => {
    const spec = await loadSpec(fixture('split-files'));
    const op = spec.operations[0]!;
    const schema = (
      op.operation.responses['200'] as { content: Record<string, { schema: unknown }> }
    ).content['application/json']!.schema;
    expect(schema).toEqual({
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string' },
          owner: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
        },
      },
    });
  });

  it('merges path-level parameters, letting the operation override by name and location', async () => {
    const { operations } = await loadSpec(fixture('split-files'));
    expect(
      operations[0]!.parameters.map((p) => [p.name, p.in, (p.schema as { type: string }).type]),
    ).toEqual([
      ['ownerId', 'path', 'string'],
      ['limit', 'query', 'integer'],
    ]);
  });

  it('keeps a circular schema as a local $ref', async () => {
    const { document } = await loadSpec(fixture('circular-schema'));
    const node = document.components!.schemas!.Node as {
      properties: { children: { items: unknown } };
    };
    expect(node.properties.children.items).toMatchObject({
      properties: { children: { items: { $ref: '#/components/schemas/Node' } } },
    });
  });

  it('loads OpenAPI 3.1 documents', async () => {
    const spec = await loadSpec(fixture('openapi-31'));
    expect(spec.version).toBe('3.1');
    expect(spec.operations.map((op) => op.operationId)).toEqual(['getThing', 'putThing']);
  });

  it('accepts a document object and does not modify it', async () => {
    const doc = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: { '/x': { get: { operationId: 'x', responses: { '204': { description: 'ok' } } } } },
    };
    const before = JSON.stringify(doc);
    const spec = await loadSpec(doc);
    expect(spec.operations[0]!.operationId).toBe('x');
    expect(JSON.stringify(doc)).toBe(before);
  });

  it('lists every problem of an invalid document with its pointer', async () => {
    const error = await loadError(fixture('invalid-spec'));
    expect(error.code).toBe('SPM_SPEC_INVALID');
    const found = error.problems.map((p) => `${p.pointer} ${p.message}`);
    expect(found).toEqual(
      expect.arrayContaining([
        '#/info missing required property "version"',
        '#/paths/~1pets/get/responses/200 missing required property "description"',
      ]),
    );
    expect(found.some((p) => p.startsWith('#/paths/~1pets') && p.includes('bogus'))).toBe(true);
  });

  it('names unexpected properties in 3.0 and 3.1 alike, without the noise of the $ref branch', async () => {
    for (const openapi of ['3.0.3', '3.1.0']) {
      const error = await loadSpec({
        openapi,
        info: { title: 't', version: '1' },
        paths: {
          '/a': {
            get: {
              operationId: 'a',
              parameters: [{ name: 'q', in: 'query', schema: { type: 'string' }, descriptio: 'y' }],
              responses: { '200': { description: 'ok' } },
            },
          },
        },
      }).catch((e: unknown) => e);
      const problems = (error as { problems: Array<{ pointer: string; message: string }> })
        .problems;
      expect({ openapi, problems: problems.map((p) => `${p.pointer} ${p.message}`) }).toEqual({
        openapi,
        problems: ['#/paths/~1a/get/parameters/0 unexpected property "descriptio"'],
      });
    }
  });

  it('refuses path parameters missing from their path and one method on paths that differ only in parameter names', async () => {
    const ok = { '200': { description: 'ok' } };
    const error = await loadSpec({
      openapi: '3.0.3',
      info: { title: 'paths', version: '1' },
      paths: {
        '/c/{id}': { get: { operationId: 'getC', responses: ok } },
        '/c/{name}': {
          get: { operationId: 'getCByName', responses: ok },
          delete: { operationId: 'delC', responses: ok },
        },
        '/d': {
          get: {
            operationId: 'getD',
            parameters: [{ name: 'zz', in: 'path', required: true, schema: { type: 'string' } }],
            responses: ok,
          },
        },
      },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SPM_SPEC_INVALID' });
    const problems = (error as { problems: Array<{ pointer: string; message: string }> }).problems;
    expect(problems.map(({ pointer, message }) => ({ pointer, message }))).toEqual([
      {
        pointer: '#/paths/~1c~1{name}/get',
        message:
          'GET /c/{name} (operationId getCByName) could never be reached: GET /c/{id} (operationId getC) takes its requests, since the paths differ only in parameter names',
      },
      {
        pointer: '#/paths/~1d/get/parameters',
        message: 'path parameter "zz" is not in the path /d',
      },
    ]);
  });

  it('reports every broken $ref at once', async () => {
    const error = await loadError(fixture('broken-refs'));
    expect(error.code).toBe('SPM_SPEC_INVALID');
    expect(error.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          '$ref "#/components/responses/Missing" at #/paths/~1a/get/responses/200 points to nothing',
        ),
        expect.stringContaining('$ref "nowhere.yaml#/x"'),
      ]),
    );
  });

  it('rejects documents of other versions and unparsable files with the reason', async () => {
    const other = await loadError({ openapi: '2.5', info: {}, paths: {} });
    expect(other.problems[0]).toMatchObject({
      pointer: '#/openapi',
      message: 'expected an OpenAPI 3.0.x or 3.1.x document, got openapi: "2.5"',
    });
    const missing = await loadError(join(__dirname, 'nope.yaml'));
    expect(missing.code).toBe('SPM_SPEC_LOAD');
    expect(missing.message).toContain('cannot read OpenAPI document');
  });
});

describe('toBasePath', () => {
  it('takes the path of servers[0].url, with variables replaced by their defaults', () => {
    expect(toBasePath([{ url: 'https://api.example.com/v1/' }])).toBe('/v1');
    expect(toBasePath([{ url: '/api/{version}', variables: { version: { default: 'v2' } } }])).toBe(
      '/api/v2',
    );
    expect(toBasePath([{ url: 'http://localhost:8080' }])).toBe('');
    expect(toBasePath(undefined)).toBe('');
  });

  it('resolves relative server URLs against the root', () => {
    expect(toBasePath([{ url: './v1' }])).toBe('/v1');
    expect(toBasePath([{ url: '../api/' }])).toBe('/api');
    expect(toBasePath([{ url: 'v1' }])).toBe('/v1');
    expect(toBasePath([{ url: '//cdn.example.com/v3' }])).toBe('/v3');
  });

  it('prefers the basePath option', () => {
    expect(toBasePath([{ url: '/v1' }], 'custom/')).toBe('/custom');
    expect(toBasePath([{ url: '/v1' }], '')).toBe('');
  });
});
