import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import { HttpProblem } from '../../src/api/http-problem';

const SPEC = join(__dirname, '..', 'fixtures', 'security-schemes', 'openapi.yaml');

async function bootSecured(calls: string[] = []): Promise<import('express').Application> {
  const api = await createApi({
    spec: SPEC,
    handlers: { getOpen: () => ({}), getEither: () => ({ ok: true }), getDefault: () => ({}) },
    security: {
      apiKey: ({ headers }) => {
        calls.push('apiKey');
        if (headers['x-api-key'] === 'banned')
          throw new HttpProblem({ status: 403, detail: 'key revoked' });
        return headers['x-api-key'] === 'k1';
      },
      oauth: ({ headers }, scopes) => {
        calls.push(`oauth:${scopes.join(',')}`);
        return headers.authorization === 'Bearer reader';
      },
      tenant: async ({ headers }) => {
        calls.push('tenant');
        return headers['x-tenant'] === 'acme';
      },
    },
    metrics: { registry: new Registry(), processMetrics: false },
  });
  return api.app;
}

describe('createApi security', () => {
  it('lets operations with security: [] through without credentials', async () => {
    await request(await bootSecured())
      .get('/open')
      .expect(200);
  });

  it('applies document-level security to operations that declare none', async () => {
    const app = await bootSecured();
    const res = await request(app).get('/default').expect(401);
    expect(res.headers['www-authenticate']).toBe(
      'ApiKey realm="api", in="header", name="X-API-Key"',
    );
    await request(app).get('/default').set('X-API-Key', 'k1').expect(200);
  });

  it('grants when any requirement is met (OR) and needs every scheme of it (AND)', async () => {
    const calls: string[] = [];
    const app = await bootSecured(calls);
    await request(app).get('/either').set('X-API-Key', 'k1').expect(200);
    await request(app)
      .get('/either')
      .set('Authorization', 'Bearer reader')
      .set('X-Tenant', 'acme')
      .expect(200);
    expect(calls).toEqual(['apiKey', 'oauth:pets:read', 'tenant']);
    const partial = await request(app)
      .get('/either')
      .set('Authorization', 'Bearer reader')
      .expect(401);
    expect(partial.headers['www-authenticate']).toBe(
      'ApiKey realm="api", in="header", name="X-API-Key", Bearer realm="api", ApiKey realm="api", in="header", name="X-Tenant"',
    );
  });

  it('answers 403 when the credentials lack the required scopes', async () => {
    const app = await bootSecured();
    const res = await request(app)
      .get('/either')
      .set('Authorization', 'Bearer writer')
      .set('X-Tenant', 'acme')
      .expect(403);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'the credentials do not grant the required scopes (pets:read)',
    });
  });

  it('passes an HttpProblem thrown by a security handler through', async () => {
    const res = await request(await bootSecured())
      .get('/default')
      .set('X-API-Key', 'banned')
      .expect(403);
    expect(res.body.detail).toBe('key revoked');
  });
});
