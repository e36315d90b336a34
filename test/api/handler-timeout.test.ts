import { join } from 'node:path';
import type { Application } from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi, type Handlers } from '../../src/api';
import { resolveApiOptions } from '../../src/api/boot/api-options';
import { SpectrometerError } from '../../src/errors';
import { sampleValue } from '../helpers/exposition';

const SPEC = join(__dirname, '..', 'fixtures', 'handler-timeout', 'openapi.yaml');
const TIMEOUT_MS = 50;

const EXPRESS: Array<[string, () => Application]> = [
  ['Express 5', require('express') as () => Application],
  ['Express 4', require('express4') as () => Application],
];

/** A promise and the functions that settle it, for handlers the test drives step by step. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

function boot(express: () => Application, handlers: Handlers, handlerTimeoutMs = TIMEOUT_MS) {
  return createApi({
    spec: SPEC,
    app: express(),
    handlers,
    handlerTimeoutMs,
    metrics: { registry: new Registry(), processMetrics: false },
  });
}

const answerTicks: Handlers['streamTicks'] = ({ res }) => void res.end('tick\n');

describe.each(EXPRESS)('handlerTimeoutMs on %s', (_name, express) => {
  it('answers a 503 problem, aborts ctx.signal and counts an exception when the handler does not answer in time', async () => {
    const aborted = deferred<unknown>();
    const api = await boot(express, {
      getPet: ({ signal }) =>
        new Promise(() => signal.addEventListener('abort', () => aborted.resolve(signal.reason))),
      streamTicks: answerTicks,
    });
    const res = await request(api.app).get('/pets/7').expect(503);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: `operation getPet did not answer within ${TIMEOUT_MS} ms`,
    });
    const reason = (await aborted.promise) as DOMException;
    expect(reason.name).toBe('TimeoutError');
    expect(reason.message).toBe(`operation getPet did not answer within ${TIMEOUT_MS} ms`);

    const text = (await request(api.app).get('/metrics').expect(200)).text;
    expect(sampleValue(text, 'express_http_request_total', { method: 'GET', status: '503' })).toBe(
      1,
    );
    const duration = { method: 'GET', operation: 'getPet', status: '503' };
    expect(sampleValue(text, 'express_http_request_duration_seconds_count', duration)).toBe(1);
    // The exceptions counter's status label is always 500 (DESIGN §2); the request records 503.
    expect(
      sampleValue(text, 'express_http_request_exceptions_total', { method: 'GET', status: '500' }),
    ).toBe(1);
    expect(sampleValue(text, 'express_http_request_total', { method: 'GET', status: '500' })).toBe(
      undefined,
    );
  });

  it('drops what the handler answers after the timeout: nothing more is sent, nothing throws', async () => {
    const late = deferred<unknown>();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const api = await boot(express, {
        // Answers on abort both ways at once: a returned value and res.json() of its own.
        getPet: async ({ signal, res }) => {
          await new Promise((resolve) => signal.addEventListener('abort', resolve));
          await new Promise((resolve) => setImmediate(resolve));
          try {
            res.json({ late: true });
          } catch (error) {
            late.resolve(error);
            throw error;
          }
          return { late: true };
        },
        streamTicks: answerTicks,
      });
      const agent = request.agent(api.app);
      const first = await agent.get('/pets/1').expect(503);
      expect(first.body.detail).toBe(`operation getPet did not answer within ${TIMEOUT_MS} ms`);
      expect((await late.promise) as NodeJS.ErrnoException).toMatchObject({
        code: 'ERR_HTTP_HEADERS_SENT',
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      // The app goes on serving.
      await agent.get('/ticks').expect(200, 'tick\n');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('leaves a handler that answers in time alone', async () => {
    const api = await boot(express, {
      getPet: async ({ params }) => ({ id: params.petId }),
      streamTicks: answerTicks,
    });
    expect((await request(api.app).get('/pets/3').expect(200)).body).toEqual({ id: 3 });
    const text = (await request(api.app).get('/metrics').expect(200)).text;
    expect(sampleValue(text, 'express_http_request_total', { method: 'GET', status: '200' })).toBe(
      1,
    );
    expect(text).not.toContain('express_http_request_exceptions_total{');
  });

  it('does not cut a response the handler started writing before the timeout', async () => {
    const api = await boot(express, {
      getPet: () => ({}),
      streamTicks: async ({ res }) => {
        res.setHeader('Content-Type', 'text/plain');
        res.write('first\n');
        await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 3));
        res.end('last\n');
      },
    });
    const res = await request(api.app).get('/ticks').expect(200);
    expect(res.text).toBe('first\nlast\n');
  });

  it('never times out with handlerTimeoutMs: 0', async () => {
    const api = await boot(
      express,
      {
        getPet: async ({ signal }) => {
          await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 2));
          return { aborted: signal.aborted };
        },
        streamTicks: answerTicks,
      },
      0,
    );
    expect((await request(api.app).get('/pets/3').expect(200)).body).toEqual({ aborted: false });
  });
});

describe('handlerTimeoutMs', () => {
  it('logs a timeout once, in one line', async () => {
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const api = await boot(EXPRESS[0]![1], {
        getPet: () => new Promise(() => undefined),
        streamTicks: answerTicks,
      });
      api.app.set('env', 'production'); // Express logs unhandled errors outside tests only
      await request(api.app).get('/pets/1').expect(503);
      expect(errors.mock.calls).toEqual([
        [`HandlerTimeout: operation getPet did not answer within ${TIMEOUT_MS} ms`],
      ]);
    } finally {
      errors.mockRestore();
    }
  });

  it('is 30 s unless given', () => {
    expect(resolveApiOptions({ spec: SPEC }).handlerTimeoutMs).toBe(30_000);
    expect(resolveApiOptions({ spec: SPEC, handlerTimeoutMs: 0 }).handlerTimeoutMs).toBe(0);
  });

  it.each([
    [-1, '-1'],
    [1.5, '1.5'],
    ['30s', '"30s"'],
    [Infinity, 'Infinity'],
    [NaN, 'NaN'],
    [2 ** 31, String(2 ** 31)],
  ])('refuses %p as SPM_INVALID_OPTION', (value, shown) => {
    const error = (() => {
      try {
        return resolveApiOptions({ spec: SPEC, handlerTimeoutMs: value as number });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SpectrometerError);
    expect(error).toMatchObject({
      code: 'SPM_INVALID_OPTION',
      message: `handlerTimeoutMs must be a whole number of milliseconds from 0 (no limit) to 2147483647, got ${shown}`,
    });
  });

  it('suggests handlerTimeoutMs for a near miss', () => {
    expect(() => resolveApiOptions({ spec: SPEC, handlerTimeout: 5 } as never)).toThrow(
      /Unknown createApi option "handlerTimeout": did you mean "handlerTimeoutMs"\?/,
    );
  });
});
