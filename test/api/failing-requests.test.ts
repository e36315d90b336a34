import type { Application } from 'express';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Registry } from 'prom-client';
import { createApi } from '../../src';
import { MAX_BODY_DEPTH } from '../../src/api/request/body-depth';
import { findSamples, sampleValue } from '../helpers/exposition';

// DESIGN §9: metrics stay exact when a request fails late, and bad input is a 4xx, never a 500.
// Everything goes over real HTTP: what matters is what the client sees on the wire.

const SPEC = join(__dirname, '..', 'fixtures', 'failing-requests', 'openapi.yaml');

function report(fail: unknown): unknown {
  if (fail === 'at-once') {
    // A Readable whose second read fails at once, before the head could go out.
    let reads = 0;
    return new Readable({
      read() {
        if (reads++ === 0) this.push('id,name\n');
        else this.destroy(new Error('database gone'));
      },
    });
  }
  return (async function* () {
    yield 'id,name\n';
    if (fail !== 'later') {
      yield '1,Rex\n';
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    throw new Error('database connection reset');
  })();
}

let server: Server;
let app: Application;
let base: string;
const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);

beforeAll(async () => {
  const api = await createApi({
    spec: SPEC,
    handlers: {
      getReport: ({ query }) => report(query.fail),
      createTree: () => undefined,
      createNote: () => undefined,
    },
    metrics: { registry: new Registry(), processMetrics: false },
  });
  app = api.app;
  app.set('env', 'production'); // Express logs unhandled errors outside tests only
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  errors.mockRestore();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => errors.mockClear());

interface Received {
  status?: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The response ended without its last chunk. */
  truncated: boolean;
}

function send(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<Received> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers }, (res) => {
      const received: Received = {
        status: res.statusCode,
        headers: res.headers,
        body: '',
        truncated: false,
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (received.body += chunk));
      res.on('aborted', () => (received.truncated = true));
      res.on('error', () => (received.truncated = true));
      res.on('close', () => resolve(received));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function scrape(): Promise<string> {
  return (await send('GET', '/metrics')).body;
}

// The server records a request when its side of the connection closes, which may come a moment
// after the client saw the end.
async function recorded(labels: Record<string, string>): Promise<number | undefined> {
  const name = 'express_http_request_duration_seconds_count';
  for (let attempt = 0; attempt < 50; attempt++) {
    const value = sampleValue(await scrape(), name, labels);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return undefined;
}

const problemOf = (received: Received) => JSON.parse(received.body) as Record<string, unknown>;

describe('a stream that fails', () => {
  it('after the head: the client gets the head and a truncated body; recorded as a 500 exception, logged once', async () => {
    const received = await send('GET', '/report?fail=later');
    expect(received).toMatchObject({ status: 200, body: 'id,name\n', truncated: true });
    expect(received.headers['content-type']).toBe('text/csv');
    const labels = { method: 'GET', operation: 'getReport', status: '500' };
    expect(await recorded(labels)).toBe(1);
    const text = await scrape();
    expect(
      sampleValue(text, 'express_http_request_exceptions_total', { method: 'GET', status: '500' }),
    ).toBe(1);
    expect(findSamples(text, 'express_http_request_total', { status: '499' })).toEqual([]);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/^Error: database connection reset\n\s+at /);
  });

  it('before any byte: a 500 problem (a Readable failing on its second read)', async () => {
    const received = await send('GET', '/report?fail=at-once');
    expect(received.status).toBe(500);
    expect(received.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(problemOf(received)).toMatchObject({ status: 500 });
    expect(received.body).not.toMatch(/database gone/);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/^Error: database gone\n/);
  });

  it('keeps serving, and a stream that does not fail is complete', async () => {
    const received = await send('GET', '/report?fail=never');
    expect(received).toMatchObject({ status: 200, body: 'id,name\n1,Rex\n', truncated: false });
    expect(errors).not.toHaveBeenCalled();
  });
});

describe('a deeply nested body against a recursive schema', () => {
  // A tree `levels` deep nests 2 × levels values (an object and its children array per level),
  // plus the leaf's `extra` object: depth 2 × levels.
  const tree = (levels: number) => {
    let node = '{"name":"leaf","extra":{}}';
    for (let level = 1; level < levels; level++) node = `{"children":[${node}]}`;
    return node;
  };
  const json = { 'content-type': 'application/json' };

  it(`accepts a body exactly ${MAX_BODY_DEPTH} levels deep`, async () => {
    expect((await send('POST', '/trees', tree(MAX_BODY_DEPTH / 2), json)).status).toBe(204);
  });

  it('answers a 400 problem naming the limit for one level more, and for 450 KB of nesting, never a 500', async () => {
    const oneMore = `{"children":[${tree(MAX_BODY_DEPTH / 2)}]}`.replace(
      '"extra":{}',
      '"extra":{"x":{}}',
    );
    for (const body of [oneMore, tree(30_000)]) {
      const received = await send('POST', '/trees', body, json);
      expect(received.status).toBe(400);
      expect(problemOf(received)).toMatchObject({
        status: 400,
        detail: `the request body is nested deeper than ${MAX_BODY_DEPTH} levels of objects and arrays, the most this API accepts`,
        errors: [{ in: 'body', pointer: '', keyword: 'maxDepth' }],
      });
    }
    expect(tree(30_000).length).toBeGreaterThan(450_000);
    expect(await recorded({ method: 'POST', operation: 'createTree', status: '400' })).toBe(2);
    expect(
      findSamples(await scrape(), 'express_http_request_exceptions_total', { method: 'POST' }),
    ).toEqual([]);
    expect(errors).not.toHaveBeenCalled();
  });
});

describe('a body without Content-Type', () => {
  it.each([
    ['required', '/trees'],
    ['optional', '/notes'],
  ])('is a 415 problem saying the header is missing (%s body)', async (_kind, path) => {
    const received = await send('POST', path, '{"text":"hi"}', { 'content-length': '13' });
    expect(received.status).toBe(415);
    expect(problemOf(received)).toMatchObject({
      status: 415,
      detail:
        'the request has a body but no Content-Type header; send it with one of: application/json',
    });
  });

  it('is no problem without a body', async () => {
    expect((await send('POST', '/notes')).status).toBe(204);
  });
});
