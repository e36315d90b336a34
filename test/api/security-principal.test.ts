import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import type { HandlerContext } from '../../src/api/request/handler-context';

const SPEC = join(__dirname, '..', 'fixtures', 'security-schemes', 'openapi.yaml');

// Every operation answers with the principal its handler was given.
const echoAuth = ({ auth }: HandlerContext) => ({ auth: auth ?? null });

async function boot(): Promise<import('express').Application> {
  const api = await createApi({
    spec: SPEC,
    handlers: { getOpen: echoAuth, getEither: echoAuth, getDefault: echoAuth },
    security: {
      // A principal for k1, a plain yes for k2.
      apiKey: ({ headers }) =>
        headers['x-api-key'] === 'k1'
          ? { user: 'ada', roles: ['admin'] }
          : headers['x-api-key'] === 'k2',
      oauth: async ({ headers }) =>
        headers.authorization === 'Bearer reader'
          ? { sub: 'svc-reader', scope: 'pets:read' }
          : null,
      tenant: ({ headers }) => (headers['x-tenant'] === 'acme' ? { tenant: 'acme' } : false),
    },
    metrics: { registry: new Registry(), processMetrics: false },
  });
  return api.app;
}

describe('security principals', () => {
  it('gives the handler the principal its security handler returned as ctx.auth', async () => {
    const res = await request(await boot())
      .get('/default')
      .set('X-API-Key', 'k1')
      .expect(200);
    expect(res.body).toEqual({ auth: { user: 'ada', roles: ['admin'] } });
  });

  it('leaves ctx.auth undefined when the security handler returned true', async () => {
    const res = await request(await boot())
      .get('/default')
      .set('X-API-Key', 'k2')
      .expect(200);
    expect(res.body).toEqual({ auth: null });
  });

  it('leaves ctx.auth undefined on an open operation, even with credentials sent', async () => {
    const res = await request(await boot())
      .get('/open')
      .set('X-API-Key', 'k1')
      .expect(200);
    expect(res.body).toEqual({ auth: null });
  });

  it('takes the first principal of the requirement that let the request in', async () => {
    const app = await boot();
    const both = await request(app)
      .get('/either')
      .set('Authorization', 'Bearer reader')
      .set('X-Tenant', 'acme')
      .expect(200);
    expect(both.body).toEqual({ auth: { sub: 'svc-reader', scope: 'pets:read' } });
    // The first requirement (apiKey) failing does not leave its principal behind.
    const second = await request(app)
      .get('/either')
      .set('X-API-Key', 'nope')
      .set('Authorization', 'Bearer reader')
      .set('X-Tenant', 'acme')
      .expect(200);
    expect(second.body).toEqual({ auth: { sub: 'svc-reader', scope: 'pets:read' } });
  });

  it('refuses as before when a handler returns null or false', async () => {
    const app = await boot();
    await request(app)
      .get('/either')
      .set('Authorization', 'Bearer writer')
      .set('X-Tenant', 'acme')
      .expect(403);
    await request(app).get('/default').set('X-API-Key', 'k3').expect(401);
  });

  it('keeps one request principal from leaking into the next', async () => {
    const app = await boot();
    await request(app).get('/default').set('X-API-Key', 'k1').expect(200);
    const next = await request(app).get('/default').set('X-API-Key', 'k2').expect(200);
    expect(next.body).toEqual({ auth: null });
  });
});
