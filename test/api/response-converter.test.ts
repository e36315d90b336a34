import type { Express } from 'express';
import http from 'node:http';
import { Readable } from 'node:stream';
import request from 'supertest';
import { noContent, reply } from '../../src/api/response/reply';
import {
  listen,
  operationWith,
  parseRaw,
  serveResult,
  type ServeOptions,
  type TestHandler,
} from '../fixtures/converter-app/serve-result';

const jsonOperation = operationWith({ '200': ['application/json'] });

async function fetchRaw(app: Express, accept?: string) {
  const pending = request(app).get('/r').buffer(true).parse(parseRaw);
  const response = await (accept === undefined ? pending : pending.set('Accept', accept));
  return {
    status: response.status,
    type: response.headers['content-type'] as string | undefined,
    headers: response.headers as Record<string, string | string[] | undefined>,
    text: (response.body as Buffer).toString('utf8'),
    bytes: response.body as Buffer,
  };
}

function get(
  responses: Record<string, string[]>,
  handler: TestHandler,
  accept?: string,
  options?: ServeOptions,
) {
  return fetchRaw(serveResult(operationWith(responses), handler, options), accept);
}

describe('reply()', () => {
  it('sends exactly the status, headers, content type and body it was given', async () => {
    const response = await get({ '200': ['application/json'] }, () =>
      reply('<p>hi</p>', {
        status: 202,
        headers: { 'X-Trace': 'abc', 'Set-Cookie': ['a=1', 'b=2'], 'X-Count': 3 },
        contentType: 'text/html',
      }),
    );
    expect(response).toMatchObject({ status: 202, type: 'text/html', text: '<p>hi</p>' });
    expect(response.headers['x-trace']).toBe('abc');
    expect(response.headers['x-count']).toBe('3');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('negotiates the content type of its status when none is given', async () => {
    const response = await get(
      { '201': ['application/vnd.pet+json'], '400': ['application/problem+json'] },
      () => reply({ id: 1 }, { status: 201, headers: { Location: '/pets/1' } }),
    );
    expect(response).toMatchObject({
      status: 201,
      type: 'application/vnd.pet+json; charset=utf-8',
      text: '{"id":1}',
    });
    expect(response.headers.location).toBe('/pets/1');
  });

  it('takes the content type from a Content-Type header and sends strings raw', async () => {
    const response = await get({ '200': ['application/json'] }, () =>
      reply('{"raw":true}', { headers: { 'content-type': 'application/json' } }),
    );
    expect(response).toMatchObject({ status: 200, type: 'application/json', text: '{"raw":true}' });
  });
  it('keeps a Content-Type the handler set on res before returning', async () => {
    const response = await get({ '200': ['application/json'] }, (_req, res) => {
      res.setHeader('Content-Type', 'application/geo+json');
      return { type: 'Point' };
    });
    expect(response).toMatchObject({ type: 'application/geo+json', text: '{"type":"Point"}' });
  });
});

describe('no body', () => {
  it('answers 204 for noContent() when the operation declares 204', async () => {
    const response = await get({ '200': ['application/json'], '204': [] }, () => noContent());
    expect(response).toMatchObject({ status: 204, type: undefined, text: '' });
  });

  it('answers 204 for undefined when the operation declares 204', async () => {
    const response = await get({ '204': [] }, () => undefined);
    expect(response).toMatchObject({ status: 204, type: undefined, text: '' });
  });

  it('answers the default status with an empty body when 204 is not declared', async () => {
    const response = await get({ '202': ['application/json'] }, () => undefined);
    expect(response).toMatchObject({ status: 202, type: undefined, text: '' });
    expect(response.headers['content-length']).toBe('0');
  });

  it('keeps an explicit status for noContent-like replies', async () => {
    const response = await get({ '204': [] }, () => reply(undefined, { status: 200 }));
    expect(response).toMatchObject({ status: 200, type: undefined, text: '' });
  });
});

describe('JSON values', () => {
  it.each([
    ['an object', { id: 1, name: 'Rex' }, '{"id":1,"name":"Rex"}'],
    ['an array', [1, 2, 3], '[1,2,3]'],
    ['a number', 42, '42'],
    ['a boolean', false, 'false'],
    ['null', null, 'null'],
    ['a Date inside an object', { at: new Date(0) }, '{"at":"1970-01-01T00:00:00.000Z"}'],
  ])('sends %s as application/json', async (_what, value, body) => {
    const response = await get({ '200': ['application/json'] }, () => value);
    expect(response).toMatchObject({
      status: 200,
      type: 'application/json; charset=utf-8',
      text: body,
    });
  });

  it('sends a bare array as the body, never as a [body, status] tuple', async () => {
    const response = await get({ '200': ['application/json'] }, () => [{ id: 1 }, 201]);
    expect(response).toMatchObject({ status: 200, text: '[{"id":1},201]' });
  });

  it('uses the +json type the spec declares', async () => {
    const response = await get({ '200': ['application/hal+json'] }, () => ({ _links: {} }));
    expect(response).toMatchObject({
      type: 'application/hal+json; charset=utf-8',
      text: '{"_links":{}}',
    });
  });

  it('uses the only declared 2xx as the default status', async () => {
    const response = await get({ '201': ['application/json'], '400': [] }, () => ({ id: 7 }));
    expect(response).toMatchObject({ status: 201, text: '{"id":7}' });
  });

  it('defaults to 200 when several 2xx are declared', async () => {
    const response = await get({ '200': ['application/json'], '201': [] }, () => ({ id: 7 }));
    expect(response.status).toBe(200);
  });

  it('keeps a status the handler set with res.status()', async () => {
    const response = await get({ '200': ['application/json'], '202': [] }, (_req, res) => {
      res.status(202);
      return { queued: true };
    });
    expect(response).toMatchObject({ status: 202, text: '{"queued":true}' });
  });

  it('sends application/json when the status declares no content', async () => {
    const response = await get({ '200': [] }, () => ({ ok: true }));
    expect(response).toMatchObject({
      type: 'application/json; charset=utf-8',
      text: '{"ok":true}',
    });
  });

  it('honours the app json spaces setting like res.json', async () => {
    const app = serveResult(jsonOperation, () => ({ a: 1 }));
    app.set('json spaces', 2);
    expect((await fetchRaw(app)).text).toBe('{\n  "a": 1\n}');
  });

  it('answers a 500 problem when the result cannot be serialised', async () => {
    const response = await get({ '200': ['application/json'] }, () => ({ n: BigInt(1) }));
    expect(response).toMatchObject({ status: 500, type: 'application/problem+json' });
  });

  it('answers a 500 problem when an object meets a status that declares no JSON type', async () => {
    const response = await get({ '200': ['text/csv'] }, () => ({ a: 1 }));
    expect(response.status).toBe(500);
    expect(JSON.parse(response.text).detail).toMatch(/declares only text\/csv/);
  });
});

describe('strings', () => {
  it('sends text/plain by default', async () => {
    const response = await get({ '200': [] }, () => 'hello');
    expect(response).toMatchObject({ type: 'text/plain; charset=utf-8', text: 'hello' });
  });

  it("uses the spec's text type", async () => {
    const response = await get({ '200': ['application/json', 'text/csv'] }, () => 'a,b\n1,2\n');
    expect(response).toMatchObject({ type: 'text/csv; charset=utf-8', text: 'a,b\n1,2\n' });
  });

  it('JSON-encodes a string when the status declares only JSON', async () => {
    const response = await get({ '200': ['application/json'] }, () => 'he said "hi"');
    expect(response).toMatchObject({
      type: 'application/json; charset=utf-8',
      text: '"he said \\"hi\\""',
    });
  });

  it('keeps a charset the spec declares', async () => {
    const response = await get({ '200': ['text/plain; charset=iso-8859-1'] }, () => 'x');
    expect(response.type).toBe('text/plain; charset=iso-8859-1');
  });

  it('sends numbers as text when the status declares only text', async () => {
    const response = await get({ '200': ['text/plain'] }, () => 42);
    expect(response).toMatchObject({ type: 'text/plain; charset=utf-8', text: '42' });
  });
});

describe('bytes', () => {
  it('sends an ETag and answers 304 to a matching If-None-Match, like res.send', async () => {
    const app = serveResult(jsonOperation, () => ({ id: 1 }));
    const first = await request(app).get('/r');
    expect(first.headers.etag).toEqual(expect.any(String));
    const second = await request(app)
      .get('/r')
      .set('If-None-Match', first.headers.etag as string);
    expect(second.status).toBe(304);
  });

  it('sends a Buffer as application/octet-stream by default', async () => {
    const response = await get({ '200': [] }, () => Buffer.from([0, 1, 2, 255]));
    expect(response.type).toBe('application/octet-stream');
    expect([...response.bytes]).toEqual([0, 1, 2, 255]);
  });

  it("uses the spec's binary type and only the Uint8Array's own bytes", async () => {
    const view = new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 3);
    const response = await get({ '200': ['application/json', 'image/png'] }, () => view);
    expect(response.type).toBe('image/png');
    expect([...response.bytes]).toEqual([8, 7]);
    expect(response.headers['content-length']).toBe('2');
  });
});

describe('error statuses', () => {
  it('sends the problem+json an error status declares, whatever Accept says', async () => {
    const response = await get(
      { '200': ['application/json'], '404': ['application/problem+json'] },
      () => reply({ title: 'Not Found', status: 404 }, { status: 404 }),
      'application/json',
    );
    expect(response).toMatchObject({
      status: 404,
      type: 'application/problem+json; charset=utf-8',
      text: '{"title":"Not Found","status":404}',
    });
  });

  it('finds 4XX and default responses for a status', async () => {
    const responses = { '200': ['application/json'], '4XX': ['application/problem+json'] };
    const ranged = await get(responses, () => reply({}, { status: 409 }));
    expect(ranged.type).toBe('application/problem+json; charset=utf-8');
    const fallback = await get({ default: ['application/vnd.error+json'] }, () =>
      reply({}, { status: 503 }),
    );
    expect(fallback.type).toBe('application/vnd.error+json; charset=utf-8');
  });
});

describe('Accept', () => {
  const both = { '200': ['application/json', 'application/vnd.pet+json', 'text/plain'] };

  it('picks the declared type with the highest q', async () => {
    const response = await get(
      both,
      () => ({ id: 1 }),
      'application/json;q=0.5, application/*+json',
    );
    expect(response.type).toBe('application/vnd.pet+json; charset=utf-8');
  });

  it('serves a +json type to a client that accepts application/json', async () => {
    const response = await get(
      { '200': ['application/vnd.api+json'] },
      () => ({}),
      'application/json',
    );
    expect(response).toMatchObject({
      status: 200,
      type: 'application/vnd.api+json; charset=utf-8',
    });
  });

  it('matches type/* ranges', async () => {
    const response = await get(both, () => 'hi', 'text/*');
    expect(response).toMatchObject({ type: 'text/plain; charset=utf-8', text: 'hi' });
  });

  it('JSON-encodes a string when the client only accepts JSON', async () => {
    const response = await get(both, () => 'hi', 'application/json');
    expect(response).toMatchObject({ type: 'application/json; charset=utf-8', text: '"hi"' });
  });

  it('answers 406 as a problem when nothing declared is acceptable', async () => {
    const response = await get({ '200': ['application/json'] }, () => ({ id: 1 }), 'text/html');
    expect(response).toMatchObject({ status: 406, type: 'application/problem+json' });
    expect(JSON.parse(response.text)).toMatchObject({ status: 406, title: 'Not Acceptable' });
  });

  it('does not answer 406 when the status declares no content', async () => {
    const response = await get({ '200': [] }, () => ({ id: 1 }), 'text/html');
    expect(response.status).toBe(200);
  });
});

describe('streams', () => {
  it('streams a Node Readable', async () => {
    const response = await get({ '200': ['text/csv'] }, () => Readable.from(['a,b\n', '1,2\n']));
    expect(response).toMatchObject({ status: 200, type: 'text/csv', text: 'a,b\n1,2\n' });
    expect(response.headers['transfer-encoding']).toBe('chunked');
  });

  it('streams an async generator as application/octet-stream by default', async () => {
    async function* chunks() {
      yield 'one,';
      yield Buffer.from('two,');
      yield new Uint8Array([0x33]);
    }
    const response = await get({ '200': [] }, () => chunks());
    expect(response).toMatchObject({ type: 'application/octet-stream', text: 'one,two,3' });
  });

  it('answers HEAD with the headers only and releases the stream', async () => {
    let released = false;
    const app = serveResult(jsonOperation, () =>
      (async function* () {
        try {
          yield 'first';
          yield 'second';
        } finally {
          released = true;
        }
      })(),
    );
    const response = await request(app).head('/r');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(released).toBe(true);
  });

  it('closes the source when the client goes away', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const app = serveResult(jsonOperation, () =>
      (async function* () {
        try {
          for (;;) {
            yield 'tick\n';
            await new Promise((resolve) => setImmediate(resolve));
          }
        } finally {
          release();
        }
      })(),
    );
    const { server, url } = await listen(app);
    try {
      const client = http.get(`${url}/r`, (res) => res.once('data', () => client.destroy()));
      client.on('error', () => undefined);
      await released; // never resolving would fail the test by its timeout
    } finally {
      server.close();
    }
  });

  it('answers a 500 problem when a stream fails before its first chunk', async () => {
    const failing = () =>
      new Readable({
        read() {
          this.destroy(new Error('database gone'));
        },
      });
    const response = await get({ '200': ['text/plain'] }, () => failing());
    expect(response).toMatchObject({ status: 500, type: 'application/problem+json' });
    expect(response.text).not.toMatch(/database gone/);
  });

  it('destroys the response when a stream fails mid-way and keeps serving', async () => {
    let served = 0;
    const app = serveResult(jsonOperation, () => {
      served += 1;
      if (served > 1) return { ok: true };
      return (async function* () {
        yield 'partial';
        // Well after the head went out (a failure within one turn is still a 500 problem).
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error('mid-stream');
      })();
    });
    const { server, url } = await listen(app);
    try {
      const outcome = await new Promise<string>((resolve) => {
        http.get(`${url}/r`, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('error', () => resolve(`truncated after "${body}"`));
          res.on('end', () => resolve(`complete "${body}"`));
        });
      });
      expect(outcome).toBe('truncated after "partial"');
      expect((await fetchRaw(app)).text).toBe('{"ok":true}');
    } finally {
      server.close();
    }
  });

  it('waits for a slow consumer instead of buffering the whole stream', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const total = 256; // 16 MiB
    let worstBacklog = 0;
    let highWaterMark = 0;
    const app = serveResult(jsonOperation, (_req, res) =>
      (async function* () {
        for (let i = 0; i < total; i += 1) {
          worstBacklog = Math.max(worstBacklog, res.writableLength);
          highWaterMark = res.writableHighWaterMark;
          yield chunk;
        }
      })(),
    );
    const { server, url } = await listen(app);
    try {
      const received = await new Promise<number>((resolve, reject) => {
        http
          .get(`${url}/r`, async (res) => {
            let bytes = 0;
            for await (const data of res) {
              bytes += (data as Buffer).length;
              await new Promise((next) => setImmediate(next)); // a slow reader
            }
            resolve(bytes);
          })
          .on('error', reject);
      });
      expect(received).toBe(chunk.length * total);
      // Pulled only when the response has room: the backlog stays near one buffer's worth.
      expect(worstBacklog).toBeLessThanOrEqual(highWaterMark + chunk.length);
    } finally {
      server.close();
    }
  });
});

describe('web Response', () => {
  it('sends its status, headers, cookies and body', async () => {
    const headers = new Headers({ 'content-type': 'text/x-custom', 'x-from': 'fetch' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    const response = await get(
      { '200': ['application/json'] },
      () => new Response('from fetch', { status: 203, headers }),
    );
    expect(response).toMatchObject({ status: 203, type: 'text/x-custom', text: 'from fetch' });
    expect(response.headers['x-from']).toBe('fetch');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('sends a bodiless Response with no body', async () => {
    const response = await get({ '200': [] }, () => new Response(null, { status: 204 }));
    expect(response).toMatchObject({ status: 204, text: '' });
  });
});

describe('handlers that write to res themselves', () => {
  it('leaves a response the handler already sent alone', async () => {
    const response = await get({ '204': [] }, (_req, res) => {
      res.status(299).type('text/plain').send('mine');
      return undefined;
    });
    expect(response).toMatchObject({
      status: 299,
      type: 'text/plain; charset=utf-8',
      text: 'mine',
    });
  });

  it('leaves a response the handler is streaming alone', async () => {
    const response = await get({ '200': [] }, (_req, res) => {
      res.setHeader('Content-Type', 'text/event-stream');
      res.write('data: 1\n\n');
      setImmediate(() => res.end('data: 2\n\n'));
      return undefined;
    });
    expect(response).toMatchObject({ status: 200, text: 'data: 1\n\ndata: 2\n\n' });
  });
});

describe('responseConverter', () => {
  class Pet {
    constructor(
      readonly id: number,
      readonly secret: string,
    ) {}
    toPlain() {
      return { id: this.id, kind: 'pet' };
    }
  }

  it('sees the raw result first and can turn class instances into plain objects', async () => {
    const seen: unknown[] = [];
    const response = await get(
      { '200': ['application/json'] },
      () => new Pet(1, 's3cret'),
      undefined,
      {
        responseConverter: (result) => {
          seen.push(result);
          return result instanceof Pet ? result.toPlain() : result;
        },
      },
    );
    expect(seen[0]).toBeInstanceOf(Pet);
    expect(response).toMatchObject({ status: 200, text: '{"id":1,"kind":"pet"}' });
  });

  it('may be async and may return a reply', async () => {
    const response = await get({ '200': ['application/json'] }, () => 'x', undefined, {
      responseConverter: async (result) => reply({ wrapped: result }, { status: 203 }),
    });
    expect(response).toMatchObject({ status: 203, text: '{"wrapped":"x"}' });
  });
});

describe('Express 4', () => {
  it('converts results on Express 4 too', async () => {
    const express4 = require('express4') as ServeOptions['express'];
    const app = serveResult(
      operationWith({ '201': ['application/json'], '204': [] }),
      () => ({ id: 1 }),
      { express: express4 },
    );
    const response = await fetchRaw(app, 'application/json');
    expect(response).toMatchObject({
      status: 201,
      type: 'application/json; charset=utf-8',
      text: '{"id":1}',
    });
  });
});
