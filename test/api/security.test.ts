import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import { HttpProblem } from '../../src/api/response/http-problem';

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

describe('createApi security in mock mode', () => {
  const MOCK_SPEC = join(__dirname, '..', 'fixtures', 'mock-security', 'openapi.yaml');
  const bootMock = async (): Promise<import('express').Application> =>
    (
      await createApi({
        spec: MOCK_SPEC,
        missingHandler: 'mock',
        logger: { warn: () => undefined },
        metrics: { registry: new Registry(), processMetrics: false },
      })
    ).app;

  // Each scheme of the fixture: its path, how a request carries its credential, its challenge.
  const cases: Array<[string, string, (r: request.Test) => request.Test, string]> = [
    [
      'headerKey',
      '/header-key',
      (r) => r.set('X-API-Key', 'anything'),
      'ApiKey realm="api", in="header", name="X-API-Key"',
    ],
    [
      'queryKey',
      '/query-key',
      (r) => r.query({ api_key: 'anything' }),
      'ApiKey realm="api", in="query", name="api_key"',
    ],
    [
      'cookieKey',
      '/cookie-key',
      (r) => r.set('Cookie', 'session=anything'),
      'ApiKey realm="api", in="cookie", name="session"',
    ],
    ['bearerAuth', '/bearer', (r) => r.set('Authorization', 'Bearer x'), 'Bearer realm="api"'],
    ['basicAuth', '/basic', (r) => r.set('Authorization', 'Basic dTpw'), 'Basic realm="api"'],
    ['oauth', '/oauth', (r) => r.set('Authorization', 'Bearer x'), 'Bearer realm="api"'],
  ];

  it.each(cases)('lets in any request carrying the %s credential', async (scheme, path, carry) => {
    const res = await carry(request(await bootMock()).get(path)).expect(200);
    expect(res.body).toEqual({ scheme });
  });

  it.each(cases)(
    'answers 401 with WWW-Authenticate when the %s credential is missing',
    async (_scheme, path, _carry, challenge) => {
      const res = await request(await bootMock())
        .get(path)
        .expect(401);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.headers['www-authenticate']).toBe(challenge);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'credentials are required',
      });
    },
  );

  it('asks for the scheme an http credential names (Basic is not Bearer)', async () => {
    await request(await bootMock())
      .get('/basic')
      .set('Authorization', 'Bearer anything')
      .expect(401);
  });

  it('still asks a security handler given in mock mode', async () => {
    const api = await createApi({
      spec: MOCK_SPEC,
      missingHandler: 'mock',
      security: { bearerAuth: ({ headers }) => headers.authorization === 'Bearer good' },
      logger: { warn: () => undefined },
      metrics: { registry: new Registry(), processMetrics: false },
    });
    await request(api.app).get('/bearer').set('Authorization', 'Bearer bad').expect(401);
    await request(api.app).get('/bearer').set('Authorization', 'Bearer good').expect(200);
  });
});
