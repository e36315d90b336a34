import fs from 'node:fs/promises';
import { join } from 'node:path';
import { SpectrometerError } from '../../src/errors';
import { inspectSpec, loadSpec } from '../../src/openapi/load-spec';

const FIXTURES = join(__dirname, '..', 'fixtures');
const OUTSIDE = join(FIXTURES, 'ref-outside-folder', 'spec', 'openapi.yaml');
const PET = join(FIXTURES, 'ref-outside-folder', 'shared', 'pet.yaml');

type Schema = { properties: Record<string, unknown> };

function responseSchema(document: unknown, path: string): unknown {
  const operation = (document as { paths: Record<string, { get: unknown }> }).paths[path]!.get;
  const response = (operation as { responses: Record<string, unknown> }).responses['200'];
  return (response as { content: Record<string, { schema: unknown }> }).content['application/json']!
    .schema;
}

describe('$refs to files outside the spec folder', () => {
  it('are problems with their pointer, and the file is not read', async () => {
    const read = jest.spyOn(fs, 'readFile');
    try {
      const { problems } = await inspectSpec(OUTSIDE);
      expect(problems).toEqual([
        {
          pointer: '#/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema',
          message: `$ref "../shared/pet.yaml" at #/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema leaves the spec's folder (${join(FIXTURES, 'ref-outside-folder', 'spec')})`,
          hint: "move the file under the spec's folder, or set allowExternalRefs: true",
        },
      ]);
      expect(read.mock.calls.map(([file]) => file)).toEqual([OUTSIDE]);
    } finally {
      read.mockRestore();
    }
  });

  it('are read with allowExternalRefs: true', async () => {
    const read = jest.spyOn(fs, 'readFile');
    const spec = await loadSpec(OUTSIDE, { allowExternalRefs: true });
    const files = read.mock.calls.map(([file]) => file);
    read.mockRestore();
    expect(files).toEqual([OUTSIDE, PET]);
    expect(responseSchema(spec.document, '/pets/{petId}')).toEqual({
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' } },
    });
  });

  it('are refused for in-memory documents when they leave the working directory', async () => {
    const document = {
      openapi: '3.0.3',
      info: { title: 'inline', version: '1' },
      paths: {
        '/x': {
          get: {
            operationId: 'getX',
            responses: { '200': { $ref: '../../etc/passwd' } },
          },
        },
      },
    };
    const { problems } = await inspectSpec(document);
    expect(problems).toEqual([
      expect.objectContaining({
        pointer: '#/paths/~1x/get/responses/200',
        message: `$ref "../../etc/passwd" at #/paths/~1x/get/responses/200 leaves the spec's folder (${process.cwd()})`,
      }),
    ]);
  });

  it('stay allowed below the spec folder', async () => {
    const spec = await loadSpec(join(FIXTURES, 'split-files', 'openapi.yaml'));
    expect(spec.operations).toHaveLength(1);
  });
});

describe('remote $refs', () => {
  it('are refused with a way out, without a request', async () => {
    const error = await loadSpec(join(FIXTURES, 'remote-ref', 'openapi.yaml')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpectrometerError);
    expect((error as SpectrometerError).problems).toEqual([
      {
        pointer: '#/paths/~1pets/get/responses/200/content/application~1json/schema',
        message:
          'remote $ref "https://example.com/schemas/pet.yaml#/Pet" at #/paths/~1pets/get/responses/200/content/application~1json/schema is not fetched: spectrometer reads $refs from files only',
        hint: 'download the file beside the spec and $ref it by its relative path',
      },
    ]);
  });

  it('are refused for every URL scheme, even with allowExternalRefs', async () => {
    const { problems } = await inspectSpec(
      {
        openapi: '3.0.3',
        info: { title: 'file url', version: '1' },
        paths: {
          '/x': {
            get: { operationId: 'getX', responses: { '200': { $ref: 'file:///etc/passwd' } } },
          },
        },
      },
      { allowExternalRefs: true },
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^remote \$ref "file:\/\/\/etc\/passwd" at .* is not fetched/),
    ]);
  });
});

describe('$ref cycles', () => {
  it('that never reach a schema are problems naming the chain', async () => {
    const { problems } = await inspectSpec(
      join(FIXTURES, 'ref-cycle-without-schema', 'openapi.yaml'),
    );
    expect(problems.map(({ pointer, message }) => ({ pointer, message }))).toEqual([
      {
        pointer: '#/components/schemas/B',
        message:
          '$ref cycle that never reaches a schema: #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A',
      },
      {
        pointer: '#/components/schemas/Self',
        message:
          '$ref cycle that never reaches a schema: #/components/schemas/Self -> #/components/schemas/Self',
      },
    ]);
  });

  it('through schema content keep working as local $refs', async () => {
    const { document } = await loadSpec(join(FIXTURES, 'circular-schema', 'openapi.yaml'));
    const node = document.components!.schemas!.Node as Schema;
    expect(node.properties.children).toEqual({
      type: 'array',
      items: expect.objectContaining({
        properties: expect.objectContaining({
          children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
        }),
      }),
    });
  });

  it('through a $ref to a recursive schema keep working', async () => {
    const spec = await loadSpec({
      openapi: '3.0.3',
      info: { title: 'alias of a tree', version: '1' },
      paths: {},
      components: {
        schemas: {
          Tree: { $ref: '#/components/schemas/Node' },
          Node: {
            type: 'object',
            properties: {
              children: { type: 'array', items: { $ref: '#/components/schemas/Tree' } },
            },
          },
        },
      },
    });
    expect(spec.document.components!.schemas!.Tree).toMatchObject({ type: 'object' });
  });
});
