import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src';
import { inspectSpec } from '../../src/openapi/load-spec';

// Quirks of public specs that nobody here wrote, each reduced to a fixture.
const fixture = (name: string) => `test/fixtures/${name}/openapi.yaml`;
const quiet = { warn: () => undefined };

describe('specs as they are found', () => {
  it('reads a $ref inside a default or an example as data, not as a file', async () => {
    const { spec, problems } = await inspectSpec(fixture('ref-in-default'));
    expect(problems).toEqual([]);
    const schema = (
      spec.document.paths['/home']?.get?.responses['200'] as never as {
        content: { 'application/json': { schema: { properties: { link: { default: unknown } } } } };
      }
    ).content['application/json'].schema;
    expect(schema.properties.link.default).toEqual({ $ref: 'index.html' });
  });

  it('ignores properties beside a $ref in OpenAPI 3.0, with a warning', async () => {
    const { spec, problems, warnings } = await inspectSpec(fixture('ref-siblings-30'));
    expect(problems).toEqual([]);
    expect(spec.operations[0]?.parameters[0]).toEqual(
      expect.objectContaining({ name: 'x-tenant', in: 'header' }),
    );
    expect(spec.operations[0]?.parameters[0]).not.toHaveProperty('type');
    expect(warnings).toContainEqual(
      expect.objectContaining({
        pointer: '#/paths/~1items/get/parameters/0',
        message: expect.stringContaining(
          'type beside $ref "#/components/parameters/tenant" ignored',
        ),
      }),
    );
  });

  it('warns once of paths no request can reach', async () => {
    const { problems, warnings } = await inspectSpec(fixture('unreachable-paths'));
    expect(problems).toEqual([]);
    const unreachable = warnings.filter((w) => w.message.includes('no request path can'));
    expect(unreachable).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^2 path\(s\) hold '#' or '\?'.*\/#Action=RunInstances/),
      }),
    ]);
  });

  it('leaves a pattern ajv-formats cannot read to its schema, not to the document', async () => {
    const { problems } = await inspectSpec({
      openapi: '3.0.3',
      info: { title: 'ruby anchors', version: '1' },
      paths: {
        '/domains': {
          post: {
            operationId: 'addDomain',
            requestBody: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { domain: { type: 'string', pattern: '\\A[a-z]+\\Z(?<' } },
                  },
                },
              },
            },
            responses: { '201': { description: 'added' } },
          },
        },
      },
    });
    expect(problems).toEqual([]);
  });

  it('checks a spec whose schemas share each other many times over, once per schema', async () => {
    // Each level uses the next twice: expanded, the document would hold 2^40 copies of Leaf.
    const schemas: Record<string, object> = { Level40: { type: 'string' } };
    for (let i = 39; i >= 0; i--) {
      const next = { $ref: `#/components/schemas/Level${i + 1}` };
      schemas[`Level${i}`] = { type: 'object', properties: { a: next, b: next } };
    }
    const api = await createApi({
      spec: {
        openapi: '3.0.3',
        info: { title: 'shared', version: '1' },
        paths: {
          '/deep': {
            post: {
              operationId: 'postDeep',
              requestBody: {
                content: {
                  'application/json': { schema: { $ref: '#/components/schemas/Level0' } },
                },
              },
              responses: { '204': { description: 'ok' } },
            },
          },
        },
        components: { schemas },
      },
      handlers: { postDeep: () => undefined },
      logger: quiet,
      metrics: { registry: new Registry(), processMetrics: false },
    });
    await request(api.app)
      .post('/deep')
      .send({ a: { b: { a: {} } } })
      .expect(204);
    await request(api.app)
      .post('/deep')
      .send({ a: { b: { a: 3 } } })
      .expect(400);
  });

  it('accepts any value for a path parameter whose schema says readOnly', async () => {
    const api = await createApi({
      spec: {
        openapi: '3.0.3',
        info: { title: 'read-only parameter', version: '1' },
        paths: {
          '/alerts/{number}': {
            get: {
              operationId: 'getAlert',
              parameters: [
                {
                  name: 'number',
                  in: 'path',
                  required: true,
                  schema: { type: 'integer', readOnly: true },
                },
              ],
              responses: {
                '200': {
                  description: 'ok',
                  content: { 'application/json': { schema: { type: 'object' } } },
                },
              },
            },
          },
        },
      },
      handlers: { getAlert: ({ params }) => ({ number: params.number }) },
      logger: quiet,
      metrics: { registry: new Registry(), processMetrics: false },
    });
    await request(api.app).get('/alerts/7').expect(200, { number: 7 });
  });
});
