import { join } from 'node:path';
import express from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi, type CreateApiOptions } from '../../src/api';
import { SpectrometerError } from '../../src/errors';
import { parseSamples } from '../helpers/exposition';

const PETSTORE = join(__dirname, '..', '..', 'specs', 'petstore.yaml');
const SPLIT = join(__dirname, '..', 'fixtures', 'split-files', 'openapi.yaml');
const SWAGGER = join(__dirname, '..', 'fixtures', 'swagger-2', 'openapi.yaml');

const boot = (options: Partial<CreateApiOptions> = {}) =>
  createApi({
    spec: PETSTORE,
    missingHandler: 'mock',
    docs: true,
    metrics: { registry: new Registry(), processMetrics: false },
    logger: { warn: () => undefined },
    ...options,
  });

describe('docs', () => {
  it('serves the spec as JSON at <basePath>/openapi.json, shared schemas as $refs', async () => {
    const api = await boot();
    const res = await request(api.app).get('/v1/openapi.json').expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const served = res.body as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(served.openapi).toBe(api.document.openapi);
    const ids = Object.values(served.paths).flatMap((item) =>
      Object.values(item)
        .map((op) => op.operationId)
        .filter(Boolean),
    );
    expect(ids.sort()).toEqual(api.operations.map((op) => op.operationId).sort());
    expect(res.text).toContain('"$ref":"#/components/schemas/');
    expect(Object.keys(served.components.schemas).length).toBeGreaterThan(0);
  });

  it('bundles $refs to other files into one document that refers only to itself', async () => {
    const api = await boot({ spec: SPLIT });
    const text = (await request(api.app).get(`${api.basePath}/openapi.json`).expect(200)).text;
    const refs = [...text.matchAll(/"\$ref":"([^"]*)"/g)].map((match) => match[1] as string);
    expect(refs.every((ref) => ref.startsWith('#/'))).toBe(true);
    expect(text).not.toMatch(/\.ya?ml/);
  });

  it('serves a Swagger 2.0 spec as the OpenAPI 3.0 document it was converted to', async () => {
    const api = await boot({ spec: SWAGGER });
    const res = await request(api.app).get(`${api.basePath}/openapi.json`).expect(200);
    expect((res.body as { openapi: string }).openapi).toMatch(/^3\.0/);
  });

  it('serves Swagger UI at <basePath>/docs from local files, pointing at the spec', async () => {
    const { app } = await boot();
    const page = await request(app).get('/v1/docs').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('data-spec-url="/v1/openapi.json"');
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets).toEqual([
      '/v1/docs/swagger-ui.css',
      '/v1/docs/favicon-32x32.png',
      '/v1/docs/swagger-ui-bundle.js',
      '/v1/docs/swagger-initializer.js',
    ]);
    for (const asset of assets) await request(app).get(asset).expect(200);
    const script = await request(app).get('/v1/docs/swagger-initializer.js').expect(200);
    expect(script.text).toContain('validatorUrl: null');
    await request(app).head('/v1/docs/swagger-ui-bundle.js').expect(200);
  });

  it('counts neither the docs nor the spec in any metric', async () => {
    const registry = new Registry();
    const { app } = await boot({ metrics: { registry, processMetrics: false } });
    await request(app).get('/v1/docs').expect(200);
    await request(app).get('/v1/docs/swagger-ui.css').expect(200);
    await request(app).get('/v1/openapi.json').expect(200);
    await request(app).get('/v1/pets').expect(200);
    const samples = parseSamples(await registry.metrics()).filter((s) =>
      s.name.endsWith('_http_request_total'),
    );
    expect(samples.map((s) => s.labels.operation ?? s.labels.status)).toHaveLength(1);
    expect(samples[0]?.value).toBe(1);
  });

  it('leaves other paths under /docs and other methods to the API', async () => {
    const { app } = await boot();
    await request(app).get('/v1/docs/package.json').expect(404);
    await request(app).get('/v1/docs/../package.json').expect(404);
    await request(app).post('/v1/openapi.json').expect(404);
  });

  it('serves nothing without docs: true (createApi default)', async () => {
    const { app } = await boot({ docs: undefined });
    await request(app).get('/v1/docs').expect(404);
    await request(app).get('/v1/openapi.json').expect(404);
  });

  it('uses the mount path of an app the API is mounted in', async () => {
    const api = await boot();
    const outer = express();
    outer.use('/gateway', api.app);
    const page = await request(outer).get('/gateway/v1/docs').expect(200);
    expect(page.text).toContain('data-spec-url="/gateway/v1/openapi.json"');
    await request(outer).get('/gateway/v1/docs/swagger-ui-bundle.js').expect(200);
  });

  it('refuses to boot when an operation sits where the docs are served', async () => {
    const spec = {
      openapi: '3.0.3',
      info: { title: 'docs clash', version: '1' },
      paths: {
        '/docs': { get: { operationId: 'getDocs', responses: { 200: { description: 'ok' } } } },
      },
    };
    const error = await boot({ spec, handlers: { getDocs: () => ({}) } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpectrometerError);
    expect((error as SpectrometerError).problems).toEqual([
      expect.objectContaining({
        operationId: 'getDocs',
        message: 'GET /docs is where the docs are served: operation "getDocs" would never run',
      }),
    ]);
    await expect(
      boot({ spec, handlers: { getDocs: () => ({}) }, docs: false }),
    ).resolves.toBeDefined();
  });

  it('refuses a docs option that is not a boolean', async () => {
    await expect(boot({ docs: 'yes' as never })).rejects.toThrow(/docs must be true or false/);
  });
});
