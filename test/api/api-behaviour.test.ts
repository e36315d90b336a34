import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import { PETSTORE, petstoreLabelFunctions } from '../helpers/petstore';

const fixture = (name: string): string => join(__dirname, '..', 'fixtures', name, 'openapi.yaml');
const metrics = (): { registry: Registry; processMetrics: false } => ({
  registry: new Registry(),
  processMetrics: false,
});

describe('createApi behaviour', () => {
  it('mounts on an Express 4 app', async () => {
    const express4 = require('express4') as () => import('express').Application;
    const app = express4();
    app.get('/health', (_req, res) => {
      res.send('ok');
    });
    const api = await createApi({
      spec: fixture('openapi-31'),
      app,
      handlers: {
        getThing: ({ params }) => ({ id: params.id, label: null }),
        putThing: ({ body }) => body,
      },
      metrics: metrics(),
    });
    expect(api.app).toBe(app);
    await request(app).get('/health').expect(200, 'ok');
    expect((await request(app).get('/things/7').expect(200)).body).toEqual({ id: 7, label: null });
    const bad = await request(app).put('/things/7').send({ label: 3 }).expect(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ in: 'body', pointer: '/label', keyword: 'type' }),
    ]);
    await request(app).get('/things/x').expect(400);
    expect((await request(app).get('/metrics').expect(200)).text).toContain('operation="getThing"');
  });

  it('routes path parameter names that are not identifiers, on Express 4 as on 5', async () => {
    // The API's own route table matches templates: Express's route syntax plays no part.
    const text = {
      '200': { description: 'ok', content: { 'text/plain': { schema: { type: 'string' } } } },
    };
    for (const express of [require('express4'), require('express')]) {
      const api = await createApi({
        spec: {
          openapi: '3.0.3',
          info: { title: 'names', version: '1' },
          paths: {
            '/pets/{pet-id}': {
              get: {
                operationId: 'getPet',
                parameters: [
                  { name: 'pet-id', in: 'path', required: true, schema: { type: 'string' } },
                ],
                responses: text,
              },
            },
          },
        },
        app: (express as () => import('express').Application)(),
        handlers: { getPet: ({ params }) => `pet ${String(params['pet-id'])}` },
        metrics: metrics(),
      });
      await request(api.app).get('/pets/a%20b').expect(200, 'pet a b');
    }
  });

  it('serves OpenAPI 3.1 type arrays and a circular schema', async () => {
    const api = await createApi({
      spec: fixture('circular-schema'),
      handlers: { createNode: () => undefined },
      metrics: metrics(),
    });
    await request(api.app)
      .post('/nodes')
      .send({ name: 'a', children: [{ name: 'b', children: [] }] })
      .expect(201);
    const bad = await request(api.app)
      .post('/nodes')
      .send({ name: 'a', children: [{ children: [] }] })
      .expect(400);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ in: 'body', pointer: '/children/0/name', keyword: 'required' }),
    ]);
  });

  it('honours the basePath option and exposes labelFunctions', async () => {
    const tier = (): string => 'pro';
    const api = await createApi({
      spec: PETSTORE,
      basePath: '/api',
      missingHandler: 'mock',
      security: { bearerAuth: () => true },
      labelFunctions: { ...petstoreLabelFunctions, tier },
      metrics: metrics(),
    });
    expect(api.labelFunctions).toEqual({ ...petstoreLabelFunctions, tier });
    const res = await request(api.app).get('/api/pets/1').expect(200);
    expect(res.body).toEqual({ id: 1, name: 'Rex', tag: 'dog' });
    await request(api.app).get('/v1/pets/1').expect(404);
  });

  it('answers mock responses from the spec examples', async () => {
    const api = await createApi({
      spec: PETSTORE,
      missingHandler: 'mock',
      security: { bearerAuth: () => true },
      labelFunctions: petstoreLabelFunctions,
      metrics: metrics(),
    });
    expect((await request(api.app).get('/v1/pets').expect(200)).body).toEqual([
      { id: 1, name: 'Rex', tag: 'dog' },
      { id: 2, name: 'Tom', tag: 'cat' },
    ]);
    expect((await request(api.app).get('/v1/pets/5/card').expect(200)).text).toBe('Rex (dog)');
  });

  it('validates responses when asked, answering 500 problems for mismatches', async () => {
    const api = await createApi({
      spec: PETSTORE,
      missingHandler: 'not-implemented',
      handlers: {
        getPet: ({ params }) => (params.petId === 1 ? { id: 1, name: 'Rex' } : { id: 'two' }),
      },
      validation: { responses: true },
      metrics: metrics(),
      security: { bearerAuth: () => true },
      labelFunctions: petstoreLabelFunctions,
    });
    await request(api.app).get('/v1/pets/1').expect(200);
    // HEAD has no body to check: answered like GET, never a 500.
    const head = await request(api.app).head('/v1/pets/1').expect(200);
    expect(head.headers['content-type']).toMatch(/^application\/json/);
    const res = await request(api.app).get('/v1/pets/2').expect(500);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 500, title: 'Response Validation Failed' });
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ in: 'response', pointer: '/id' }),
        expect.objectContaining({ in: 'response', pointer: '/name' }),
      ]),
    );
  });

  it('aborts ctx.signal when the client goes away', async () => {
    let aborted: Promise<string> | undefined;
    const api = await createApi({
      spec: PETSTORE,
      missingHandler: 'not-implemented',
      handlers: {
        listPets: ({ signal }) => {
          aborted = new Promise((resolve) =>
            signal.addEventListener('abort', () => resolve('aborted')),
          );
          return new Promise(() => undefined); // never answers
        },
      },
      metrics: metrics(),
      security: { bearerAuth: () => true },
      labelFunctions: petstoreLabelFunctions,
    });
    const server = await api.listen(0);
    const { port } = server.address() as AddressInfo;
    const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/pets' });
    req.on('error', () => undefined);
    req.end();
    while (!aborted) await new Promise((resolve) => setTimeout(resolve, 10));
    req.destroy();
    await expect(aborted).resolves.toBe('aborted');
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
});
