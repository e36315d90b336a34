import express, { type Request, type Response } from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src';

// createApi serves its operations from its own route table, as one middleware: requests for an
// operation are matched once; everything else continues Express's walk.

describe('createApi and the dispatch', () => {
  const spec = {
    openapi: '3.0.3',
    info: { title: 'dispatch', version: '1' },
    paths: {
      '/{page}': {
        get: {
          operationId: 'getPage',
          parameters: [{ name: 'page', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'ok', content: { 'text/plain': { schema: { type: 'string' } } } },
          },
        },
      },
      '/pets/{petId}': {
        get: {
          operationId: 'getPet',
          parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    },
  };
  const handlers = {
    getPage: ({ params }: { params: Record<string, unknown> }) => `page ${String(params.page)}`,
    getPet: ({ params }: { params: Record<string, unknown> }) => ({ id: params.petId }),
  };

  it('keeps /metrics for the exporter even when an operation could match it', async () => {
    const api = await createApi({
      spec,
      handlers,
      metrics: { registry: new Registry(), processMetrics: false },
    });
    await request(api.app).get('/about').expect(200, 'page about');
    const metrics = await request(api.app).get('/metrics').expect(200);
    expect(metrics.text).toContain('# TYPE');
  });

  it("answers Express's 400 for an undecodable path parameter as a problem", async () => {
    const api = await createApi({
      spec,
      handlers,
      metrics: { registry: new Registry(), processMetrics: false },
    });
    const res = await request(api.app).get('/pets/%E0%A4%A').expect(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, detail: "Failed to decode param '%E0%A4%A'" });
  });

  it('serves a declared HEAD operation itself, and HEAD by GET elsewhere', async () => {
    const registry = new Registry();
    const ok = {
      '200': { description: 'ok', content: { 'text/plain': { schema: { type: 'string' } } } },
    };
    const api = await createApi({
      spec: {
        openapi: '3.0.3',
        info: { title: 'head', version: '1' },
        paths: {
          '/a': {
            get: { operationId: 'getA', responses: ok },
            head: { operationId: 'headA', responses: ok },
          },
          '/b': { get: { operationId: 'getB', responses: ok } },
        },
      },
      handlers: {
        getA: () => 'get a',
        headA: ({ res }) => {
          res.setHeader('x-served-by', 'headA');
          return 'head a';
        },
        getB: () => 'get b',
      },
      metrics: { registry, processMetrics: false },
    });
    const a = await request(api.app).head('/a').expect(200);
    expect(a.headers['x-served-by']).toBe('headA');
    await request(api.app).get('/a').expect(200, 'get a');
    await request(api.app).head('/b').expect(200);
    const text = await registry.metrics();
    expect(text).toMatch(/operation="headA"/);
    expect(text).toMatch(/method="HEAD",operation="getB"|operation="getB".*method="HEAD"/);
  });

  it('serves its operations when the API app is mounted in another app', async () => {
    const api = await createApi({
      spec,
      handlers,
      metrics: { registry: new Registry(), processMetrics: false },
    });
    const parent = express();
    parent.use('/api', api.app);
    await request(parent).get('/api/pets/7').expect(200, { id: 7 });
    await request(parent).get('/api/about').expect(200, 'page about');
  });

  it('refuses an operation at the metrics path at boot, and serves it once the metrics move', async () => {
    const withMetricsOp = {
      ...spec,
      paths: {
        '/metrics': {
          get: {
            operationId: 'myMetrics',
            responses: {
              '200': {
                description: 'ok',
                content: { 'text/plain': { schema: { type: 'string' } } },
              },
            },
          },
        },
      },
    };
    const handlers = { myMetrics: () => 'mine' };
    const error = await createApi({
      spec: withMetricsOp,
      handlers,
      metrics: { registry: new Registry(), processMetrics: false },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SPM_API_BOOT' });
    expect((error as { problems: Array<{ message: string }> }).problems[0]?.message).toBe(
      'GET /metrics is the metrics endpoint\'s path: operation "myMetrics" would never run',
    );
    const api = await createApi({
      spec: withMetricsOp,
      handlers,
      metrics: { registry: new Registry(), processMetrics: false, path: '/internal/metrics' },
    });
    await request(api.app).get('/metrics').expect(200, 'mine');
    await request(api.app).get('/internal/metrics').expect(200);
  });

  it("answers 405 only for paths an operation takes, with the app's routing settings", async () => {
    const app = express();
    app.enable('strict routing');
    const text = {
      '200': { description: 'ok', content: { 'text/plain': { schema: { type: 'string' } } } },
    };
    await createApi({
      spec: {
        openapi: '3.0.3',
        info: { title: 'allow', version: '1' },
        paths: {
          '/items/{id}': { get: { operationId: 'getItem', responses: text } },
          '/files/{name}.{ext}': { get: { operationId: 'getFile', responses: text } },
        },
      },
      app,
      handlers: { getItem: () => 'item', getFile: () => 'file' },
      metrics: { registry: new Registry(), processMetrics: false },
    });
    const allowed = await request(app).post('/items/1').expect(405);
    expect(allowed.headers.allow).toBe('GET, HEAD');
    await request(app).get('/items/1/').expect(404); // strict routing: no route takes it
    await request(app).post('/items/1/').expect(404);
    await request(app).get('/files/a.b').expect(200, 'file');
    await request(app).get('/files/ab').expect(404); // no dot: not name.ext
  });

  it('hands a request passed on with next() to the layers after the operation, never answering it twice', async () => {
    const text = {
      '200': { description: 'ok', content: { 'text/plain': { schema: { type: 'string' } } } },
    };
    const nextSpec = {
      openapi: '3.0.3',
      info: { title: 'next', version: '1' },
      servers: [{ url: '/v1' }],
      paths: {
        '/n/{mode}': {
          get: {
            operationId: 'passOn',
            parameters: [{ name: 'mode', in: 'path', required: true, schema: { type: 'string' } }],
            responses: text,
          },
        },
      },
    };
    const passOn = ({ params, req }: { params: Record<string, unknown>; req: Request }) => {
      const error = Object.assign(new Error('teapot'), { status: 418 });
      req.next?.(params.mode === 'error' ? error : undefined);
    };
    for (const before of [false, true]) {
      const app = express();
      if (before) app.use((_req, _res, next) => next()); // Express's own walk, no shortcut
      const api = await createApi({
        spec: nextSpec,
        app,
        handlers: { passOn },
        metrics: { registry: new Registry(), processMetrics: false },
      });
      api.app.get('/v1/n/pass', (_req, res) => {
        res.send('later route');
      });
      api.app.use((err: { status: number }, _req: Request, res: Response, _next: unknown) => {
        res.status(err.status).send(`handled ${err.status}`);
      });
      for (let i = 0; i < 2; i++) {
        await request(api.app).get('/v1/n/pass').expect(200, 'later route');
        await request(api.app).get('/v1/n/error').expect(418, 'handled 418');
      }
    }
    // On the app createApi makes, an error passed on ends as a problem.
    const own = await createApi({
      spec: nextSpec,
      handlers: { passOn },
      metrics: { registry: new Registry(), processMetrics: false },
    });
    const problem = await request(own.app).get('/v1/n/error').expect(418);
    expect(problem.headers['content-type']).toBe('application/problem+json');
  });

  it('lets routes added to the app later take paths under the base path', async () => {
    const text = {
      '200': { description: 'ok', content: { 'text/plain': { schema: { type: 'string' } } } },
    };
    const api = await createApi({
      spec: {
        openapi: '3.0.3',
        info: { title: 'later', version: '1' },
        servers: [{ url: '/v1' }],
        paths: { '/things': { get: { operationId: 'listThings', responses: text } } },
      },
      handlers: { listThings: () => 'things' },
      metrics: { registry: new Registry(), processMetrics: false },
    });
    api.app.get('/v1/later', (_req, res) => {
      res.send('later');
    });
    await request(api.app).get('/v1/later').expect(200, 'later');
    await request(api.app).get('/v1/things').expect(200, 'things');
    const notAllowed = await request(api.app).post('/v1/things').expect(405);
    expect(notAllowed.headers.allow).toBe('GET, HEAD');
    const missing = await request(api.app).get('/v1/nope').expect(404);
    expect(missing.headers['content-type']).toBe('application/problem+json');
  });

  it('still answers 404/405 problems under the base path of a user app with middleware added later', async () => {
    const text = {
      '200': { description: 'ok', content: { 'text/plain': { schema: { type: 'string' } } } },
    };
    const app = express();
    await createApi({
      spec: {
        openapi: '3.0.3',
        info: { title: 'user app', version: '1' },
        servers: [{ url: '/v1' }],
        paths: { '/things': { get: { operationId: 'listThings', responses: text } } },
      },
      app,
      handlers: { listThings: () => 'things' },
      metrics: { registry: new Registry(), processMetrics: false },
    });
    app.use((_req, _res, next) => next()); // a catch-all that passes everything on
    app.use((err: Error, _req: Request, res: Response, _next: unknown) => {
      res.status(500).send(`handled ${err.message}`);
    });
    const notAllowed = await request(app).post('/v1/things').expect(405);
    expect(notAllowed.headers['content-type']).toBe('application/problem+json');
    expect(notAllowed.headers.allow).toBe('GET, HEAD');
    const missing = await request(app).get('/v1/nope').expect(404);
    expect(missing.headers['content-type']).toBe('application/problem+json');
    // Outside the base path the app keeps Express's own answers.
    expect((await request(app).get('/elsewhere').expect(404)).headers['content-type']).toMatch(
      /^text\/html/,
    );
  });

  it('labels requests by the Express route when grouped by route', async () => {
    const registry = new Registry();
    const api = await createApi({
      spec,
      handlers,
      metrics: { registry, processMetrics: false, groupBy: 'route' },
    });
    await request(api.app).get('/pets/7').expect(200, { id: 7 });
    const text = await registry.metrics();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/pets\/:petId"[^}]*\} 1/,
    );
  });
});
