import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import type { HandlerContext } from '../../src/api/request/handler-context';

// Read through a `string` key: TypeScript types `.constructor` as Object's own member.
const cookie = (cookies: Record<string, string>, name: string): string | undefined => cookies[name];

const SPEC = join(__dirname, '..', 'fixtures', 'cookie-prototype-names', 'openapi.yaml');

async function boot(): Promise<import('express').Application> {
  const echo = ({ cookies }: HandlerContext) => ({
    names: Object.keys(cookies),
    toString: cookie(cookies, 'toString'),
    constructor: cookie(cookies, 'constructor'),
    proto: cookie(cookies, '__proto__'),
    plain: cookies.plain ?? null,
  });
  const api = await createApi({
    spec: SPEC,
    handlers: { readCookies: echo, readSession: echo },
    security: { constructorCookie: ({ cookies }) => cookie(cookies, 'constructor') === 'k1' },
    metrics: { registry: new Registry(), processMetrics: false },
  });
  return api.app;
}

describe('cookies', () => {
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives cookies named toString, constructor and __proto__ to the handler', async () => {
    const res = await request(await boot())
      .get('/cookies')
      .set('Cookie', 'toString=a; constructor=b; __proto__=c; plain=%7B%22polluted%22%3A1%7D')
      .expect(200);
    expect(res.body).toEqual({
      names: ['toString', 'constructor', '__proto__', 'plain'],
      toString: 'a',
      constructor: 'b',
      proto: 'c',
      plain: '{"polluted":1}',
    });
  });

  it('never lets a __proto__ cookie reach Object.prototype', async () => {
    await request(await boot())
      .get('/cookies')
      .set('Cookie', 'toString=a; __proto__={"polluted":1}; polluted=1')
      .expect(200);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('validates a required cookie parameter named toString', async () => {
    const res = await request(await boot())
      .get('/cookies')
      .set('Cookie', 'constructor=b')
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('toString');
  });

  it('answers 401 without a cookie named constructor, and lets its value be checked', async () => {
    const app = await boot();
    await request(app).get('/session').expect(401);
    await request(app).get('/session').set('Cookie', 'constructor=wrong').expect(401);
    await request(app).get('/session').set('Cookie', 'constructor=k1').expect(200);
  });

  it('keeps the first of repeated names and strips the quotes around a value', async () => {
    const res = await request(await boot())
      .get('/cookies')
      .set('Cookie', 'toString="a b"; toString=second; plain=%E0%A4%A')
      .expect(200);
    expect(res.body).toMatchObject({ toString: 'a b', plain: '%E0%A4%A' });
  });
});
