import express from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src';
import { sampleValue } from '../helpers/exposition';

const spec = {
  openapi: '3.0.3',
  info: { title: 'end of app', version: '1' },
  servers: [{ url: '/v1' }],
  paths: {
    '/things': {
      get: {
        operationId: 'listThings',
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'array' } } },
          },
        },
      },
    },
  },
};
const options = () => ({
  spec,
  handlers: { listThings: () => [] },
  metrics: { registry: new Registry(), processMetrics: false },
});

describe('the end of an app', () => {
  it('answers unknown paths outside the base path with a 404 problem on an app createApi made', async () => {
    const api = await createApi(options());
    const res = await request(api.app).get('/nope').expect(404);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no operation at /nope',
    });
    const text = (await request(api.app).get('/metrics')).text;
    expect(
      sampleValue(text, 'express_http_request_duration_seconds_count', {
        method: 'GET',
        operation: '__unmatched__',
        status: '404',
      }),
    ).toBe(1);
  });

  it('does not shadow routes added to api.app after createApi, and answers their errors as problems', async () => {
    const api = await createApi(options());
    api.app.get('/healthz', (_req, res) => {
      res.send('ok');
    });
    api.app.get('/broken', () => {
      throw new Error('secret detail');
    });
    await request(api.app).get('/healthz').expect(200, 'ok');
    const res = await request(api.app).get('/broken').expect(500);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(JSON.stringify(res.body)).not.toContain('secret detail');
    const text = (await request(api.app).get('/metrics')).text;
    expect(
      sampleValue(text, 'express_http_request_exceptions_total', { method: 'GET', status: '500' }),
    ).toBe(1);
  });

  it('logs handler bugs outside tests like Express, and counts them, while the client sees a plain 500', async () => {
    const app = express();
    app.set('env', 'production');
    const api = await createApi({
      ...options(),
      app,
      handlers: { listThings: () => ({ n: BigInt(1) }) },
    });
    api.app.get('/broken', () => {
      throw new Error('later route bug');
    });
    const logged: string[] = [];
    const spy = jest
      .spyOn(console, 'error')
      .mockImplementation((line) => void logged.push(String(line)));
    try {
      const res = await request(api.app).get('/v1/things').expect(500);
      expect(res.body).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'The server failed to handle the request.',
      });
      await request(api.app).get('/broken').expect(500);
      await new Promise((resolve) => setImmediate(resolve)); // Express logs on the next turn
    } finally {
      spy.mockRestore();
    }
    expect(logged).toEqual([
      expect.stringMatching(
        /^TypeError: The handler's result cannot be serialised as JSON: .*\n\s+at /,
      ),
      expect.stringMatching(/^Error: later route bug\n\s+at /),
    ]);
    const text = (await request(api.app).get('/metrics')).text;
    expect(
      sampleValue(text, 'express_http_request_exceptions_total', { method: 'GET', status: '500' }),
    ).toBe(2);

    // The app createApi makes answers later routes' errors as problems, and logs them too.
    const own = await createApi(options());
    own.app.set('env', 'production');
    own.app.get('/late', () => {
      throw new Error('late bug');
    });
    const ownLogged: string[] = [];
    const ownSpy = jest
      .spyOn(console, 'error')
      .mockImplementation((line) => void ownLogged.push(String(line)));
    try {
      await request(own.app).get('/late').expect(500);
    } finally {
      ownSpy.mockRestore();
    }
    expect(ownLogged).toEqual([expect.stringMatching(/^Error: late bug\n/)]);
  });

  it('answers errors carrying a 4xx status with that status, not a 500', async () => {
    const api = await createApi(options());
    api.app.get('/gone', () => {
      throw Object.assign(new Error('this resource was retired'), { status: 410 });
    });
    api.app.get('/hidden', () => {
      throw Object.assign(new Error('internal reason'), { statusCode: 403, expose: false });
    });
    const gone = await request(api.app).get('/gone').expect(410);
    expect(gone.body).toMatchObject({ status: 410, detail: 'this resource was retired' });
    const hidden = await request(api.app).get('/hidden').expect(403);
    expect(hidden.body).toEqual({ type: 'about:blank', title: 'Forbidden', status: 403 });
    const text = (await request(api.app).get('/metrics')).text;
    expect(text).not.toMatch(/express_http_request_exceptions_total\{[^}]*\} [1-9]/);
  });

  it("leaves a user's own app to Express outside the base path", async () => {
    const app = express();
    app.set('env', 'test');
    await createApi({ ...options(), app });
    const res = await request(app).get('/nope').expect(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });
});
