import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import { parseSamples } from '../helpers/exposition';

const SWAGGER = join(__dirname, '..', 'fixtures', 'swagger-2', 'openapi.yaml');

async function bootSwagger() {
  const warnings: string[] = [];
  const api = await createApi({
    spec: SWAGGER,
    missingHandler: 'mock',
    security: { apiKey: () => true },
    metrics: { registry: new Registry(), processMetrics: false },
    logger: { warn: (line: string) => void warnings.push(line) },
  });
  return { api, warnings };
}

describe('createApi on a Swagger 2.0 spec', () => {
  it('serves the converted operations under the basePath, answering mocks from its examples', async () => {
    const { api, warnings } = await bootSwagger();
    expect(api.basePath).toBe('/v2');
    expect(warnings).toEqual([
      'spectrometer: - #/swagger: converted from Swagger 2.0 with swagger2openapi',
    ]);
    const list = await request(api.app).get('/v2/pets').expect(200);
    expect(list.body).toEqual([{ id: 1, name: 'Rex', tag: 'dog' }]);
    const pet = await request(api.app).get('/v2/pets/1').expect(200);
    expect(pet.body).toEqual({ id: 1, name: 'Rex', tag: 'dog' });
  });

  it('validates what was a body parameter and what were typed parameters', async () => {
    const { api } = await bootSwagger();
    const noName = await request(api.app)
      .post('/v2/pets')
      .set('X-API-Key', 'k')
      .send({ tag: 'dog' })
      .expect(400);
    expect(noName.body.errors).toEqual([
      expect.objectContaining({ in: 'body', keyword: 'required' }),
    ]);
    await request(api.app).get('/v2/pets/0').expect(400);
    await request(api.app).get('/v2/pets?limit=1000').expect(400);
    await request(api.app).post('/v2/pets').set('X-API-Key', 'k').send({ name: 'Rex' }).expect(201);
  });

  it('keeps x-metrics, so the metric names carry the Swagger document prefix', async () => {
    const { api } = await bootSwagger();
    await request(api.app).get('/v2/pets').expect(200);
    const text = (await request(api.app).get('/metrics').expect(200)).text;
    const names = new Set(parseSamples(text).map((sample) => sample.name));
    expect(names).toContain('swagger_petstore_http_request_duration_seconds_count');
  });
});

describe('problems found after loading a Swagger 2.0 spec', () => {
  it('point into the Swagger document, as the load problems do', async () => {
    const spec = {
      swagger: '2.0',
      info: { title: 'later problems', version: '1' },
      paths: {
        '/repos': {
          post: {
            operationId: 'addRepo',
            parameters: [{ name: 'repo', in: 'body', schema: { $ref: '#/definitions/Repo' } }],
            responses: { '204': { description: 'added' } },
          },
          get: { operationId: 'addRepo', responses: { '200': { description: 'ok' } } },
        },
      },
      definitions: {
        Repo: { type: 'object', properties: { name: { type: 'string', format: 'repo.nwo' } } },
      },
    };
    const warn = jest.fn();
    const error = await createApi({
      spec,
      missingHandler: 'mock',
      logger: { warn },
      metrics: { registry: new Registry(), processMetrics: false },
    }).catch((e: unknown) => e);
    expect((error as { problems: unknown[] }).problems).toEqual([
      expect.objectContaining({
        pointer: '#/paths/~1repos/post/operationId',
        message: expect.stringContaining('operationId "addRepo" is already used'),
      }),
    ]);
    const { paths } = spec;
    const served = await createApi({
      spec: { ...spec, paths: { '/repos': { post: paths['/repos'].post } } },
      missingHandler: 'mock',
      logger: { warn },
      metrics: { registry: new Registry(), processMetrics: false },
    });
    expect(served.warnings).toContainEqual(
      expect.objectContaining({ pointer: '#/definitions/Repo/properties/name/format' }),
    );
  });
});
