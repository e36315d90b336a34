import express, { type Application } from 'express';
import { mkdtempSync, readFile, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi, type Handler } from '../../src';
import { sampleValue } from '../helpers/exposition';

/** An API with one operation, `GET /r` (operationId `getR`), answering 200 with `types`. */
function serve(handler: Handler, options: { app?: Application; types?: string[] } = {}) {
  const content = Object.fromEntries((options.types ?? ['*/*']).map((type) => [type, {}]));
  return createApi({
    spec: {
      openapi: '3.0.3',
      info: { title: 'converter edge cases', version: '1' },
      paths: {
        '/r': {
          get: { operationId: 'getR', responses: { '200': { description: 'ok', content } } },
        },
      },
    },
    handlers: { getR: handler },
    ...(options.app ? { app: options.app } : {}),
    metrics: { registry: new Registry(), processMetrics: false },
  });
}

async function requestsRecorded(app: Application, status: string): Promise<number | undefined> {
  const text = (await request(app).get('/metrics')).text;
  return sampleValue(text, 'express_http_request_duration_seconds_count', {
    method: 'GET',
    operation: 'getR',
    status,
  });
}

describe('asynchronous Express senders', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spectrometer-senders-'));
    writeFileSync(join(dir, 'report.csv'), 'id,name\n1,Rex\n');
    writeFileSync(join(dir, 'hello.tpl'), 'Hello, {{name}}!');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves a response alone while res.sendFile() sends the file', async () => {
    const api = await serve(({ res }) => {
      res.sendFile(join(dir, 'report.csv'));
    });
    const response = await request(api.app).get('/r').expect(200);
    // Express's own header: Express 4 spells the charset `UTF-8`.
    expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8$/i);
    expect(response.text).toBe('id,name\n1,Rex\n');
    expect(await requestsRecorded(api.app, '200')).toBe(1);
  });

  it('leaves a response alone while res.download() sends the file', async () => {
    const api = await serve(({ res }) => res.download(join(dir, 'report.csv'), 'rex.csv'));
    const response = await request(api.app).get('/r').expect(200);
    // Express's own header: Express 4 quotes the file name.
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="?rex\.csv"?$/);
    expect(response.text).toBe('id,name\n1,Rex\n');
  });

  it('leaves a response alone while res.render() renders a view of a user app', async () => {
    const app = express();
    app.engine('tpl', (path, locals, callback) =>
      readFile(path, 'utf8', (error, text) =>
        callback(error, text?.replace('{{name}}', String((locals as { name?: unknown }).name))),
      ),
    );
    app.set('views', dir);
    app.set('view engine', 'tpl');
    await serve(({ res }) => res.render('hello', { name: 'Rex' }), { app });
    const response = await request(app).get('/r').expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toBe('Hello, Rex!');
    expect(await requestsRecorded(app, '200')).toBe(1);
  });

  it('leaves a response alone while res.sendFile() sends the file on Express 4', async () => {
    const express4 = require('express4') as () => Application;
    const app = express4();
    await serve(({ res }) => res.sendFile(join(dir, 'report.csv')), { app });
    const response = await request(app).get('/r').expect(200);
    expect(response.text).toBe('id,name\n1,Rex\n');
  });
});

describe('streams whose first chunk is neither text nor bytes', () => {
  async function expectHiddenProblem(app: Application): Promise<void> {
    const response = await request(app).get('/r').expect(500);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect(response.text).not.toMatch(/chunk|TypeError|at .*\.ts/);
  }

  it('answers a 500 problem and closes an async generator', async () => {
    let closed = false;
    const api = await serve(() =>
      (async function* () {
        try {
          yield { id: 1 };
          yield 'never read';
        } finally {
          closed = true;
        }
      })(),
    );
    await expectHiddenProblem(api.app);
    expect(closed).toBe(true);
    const text = (await request(api.app).get('/metrics')).text;
    expect(
      sampleValue(text, 'express_http_request_exceptions_total', { method: 'GET', status: '500' }),
    ).toBe(1);
  });

  it('answers a 500 problem and destroys a Node Readable', async () => {
    const stream = Readable.from([{ id: 1 }, { id: 2 }]);
    const api = await serve(() => stream);
    await expectHiddenProblem(api.app);
    expect(stream.destroyed).toBe(true);
  });

  it('answers a 500 problem for a web Response whose body yields objects', async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue({ id: 1 });
        controller.close();
      },
    });
    const api = await serve(() => new Response(body));
    await expectHiddenProblem(api.app);
  });
});

describe('web Responses from fetch()', () => {
  const json = JSON.stringify({ pets: [{ id: 1, name: 'Rex' }] });
  let upstream: Server;
  let upstreamUrl: string;
  beforeAll(async () => {
    upstream = createServer((_req, res) => {
      const gzipped = gzipSync(json);
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Encoding': 'gzip',
        'Content-Length': gzipped.length,
        Connection: 'keep-alive, X-Upstream-Hop',
        'X-Upstream-Hop': 'only for the next hop',
        'X-Upstream-Id': '42',
      });
      res.end(gzipped);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/pets`;
  });
  afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

  it('drops the encoding fetch() already decoded, and its length', async () => {
    const api = await serve(() => fetch(upstreamUrl), { types: ['application/json'] });
    const response = await request(api.app).get('/r').expect(200);
    expect(response.body).toEqual(JSON.parse(json));
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['content-length']).not.toBe(String(gzipSync(json).length));
    expect(response.headers['x-upstream-id']).toBe('42');
  });

  it('never copies the headers of the upstream connection', async () => {
    const api = await serve(() => fetch(upstreamUrl), { types: ['application/json'] });
    const response = await request(api.app).get('/r').expect(200);
    expect(response.headers['x-upstream-hop']).toBeUndefined();
    expect(response.headers.connection).not.toMatch(/x-upstream-hop/i);
  });

  it('keeps the encoding of a Response the handler built from compressed bytes', async () => {
    const api = await serve(
      () =>
        new Response(gzipSync(json), {
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        }),
      { types: ['application/json'] },
    );
    const response = await request(api.app).get('/r').expect(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.body).toEqual(JSON.parse(json));
  });

  it('never copies hop-by-hop headers of a Response the handler built', async () => {
    const api = await serve(
      () =>
        new Response('done', {
          headers: { 'content-type': 'text/plain', 'content-length': '4', trailer: 'x-checksum' },
        }),
      { types: ['text/plain'] },
    );
    const response = await request(api.app).get('/r').expect(200);
    expect(response.text).toBe('done');
    expect(response.headers.trailer).toBeUndefined();
  });
});
