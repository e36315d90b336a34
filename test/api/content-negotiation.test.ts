import request from 'supertest';
import {
  chooseMediaType,
  findResponse,
  parseAccept,
  rateMediaType,
} from '../../src/api/response/content-negotiation';
import { HttpProblem } from '../../src/api/response/http-problem';
import { operationWith, parseRaw, serveResult } from '../fixtures/converter-app/serve-result';

describe('findResponse', () => {
  const responses = {
    '200': { description: 'ok' },
    '4XX': { description: 'client' },
    default: { description: 'other' },
  };

  it('takes the exact code, then the range, then default', () => {
    expect(findResponse(responses, 200)).toBe(responses['200']);
    expect(findResponse(responses, 404)).toBe(responses['4XX']);
    expect(findResponse(responses, 503)).toBe(responses.default);
  });

  it('accepts a lower-case range and finds nothing without responses', () => {
    const lower = { '5xx': { description: 'server' } };
    expect(findResponse(lower, 502)).toBe(lower['5xx']);
    expect(findResponse(undefined, 200)).toBeUndefined();
  });
});

describe('parseAccept and rateMediaType', () => {
  it('parses ranges with q-values and treats a missing header as anything', () => {
    expect(parseAccept('text/html, application/*;q=0.2, *;q=0')).toEqual([
      { type: 'text', subtype: 'html', q: 1 },
      { type: 'application', subtype: '*', q: 0.2 },
      { type: '*', subtype: '*', q: 0 },
    ]);
    expect(parseAccept(undefined)).toBeUndefined();
    expect(parseAccept('  ')).toBeUndefined();
    expect(rateMediaType('image/png', undefined)).toBe(1);
  });

  it('rates a type by its most specific matching range', () => {
    const ranges = parseAccept('text/*;q=0.3, text/csv;q=0.9, */*;q=0.1');
    expect(rateMediaType('text/csv', ranges)).toBe(0.9);
    expect(rateMediaType('text/plain; charset=utf-8', ranges)).toBe(0.3);
    expect(rateMediaType('image/png', ranges)).toBe(0.1);
  });

  it('matches +json types by suffix ranges and by application/json', () => {
    expect(rateMediaType('application/hal+json', parseAccept('application/*+json;q=0.7'))).toBe(
      0.7,
    );
    expect(rateMediaType('application/hal+json', parseAccept('application/json'))).toBe(1);
    expect(rateMediaType('application/json', parseAccept('application/*+json'))).toBe(0);
  });

  it('lets an explicit q=0 refuse a type a wildcard would allow', () => {
    expect(rateMediaType('text/html', parseAccept('*/*, text/html;q=0'))).toBe(0);
  });
});

describe('chooseMediaType', () => {
  const declared = ['application/json', 'text/csv', 'image/png'];

  it('suits the result when the client accepts anything', () => {
    expect(chooseMediaType(declared, undefined, 'json', 200)).toBe('application/json');
    expect(chooseMediaType(declared, '*/*', 'text', 200)).toBe('text/csv');
    expect(chooseMediaType(declared, '*/*', 'binary', 200)).toBe('image/png');
  });

  it('follows q-values before the result type, among types the result can take', () => {
    expect(chooseMediaType(declared, 'application/json, text/csv;q=0.5', 'text', 200)).toBe(
      'application/json',
    );
    expect(chooseMediaType(declared, 'text/csv, application/json;q=0.1', 'json', 200)).toBe(
      'application/json',
    );
  });

  it('uses the default type when nothing is declared', () => {
    expect(chooseMediaType([], 'image/png', 'json', 200)).toBe('application/json');
    expect(chooseMediaType([], undefined, 'text', 200)).toBe('text/plain');
    expect(chooseMediaType([], undefined, 'binary', 200)).toBe('application/octet-stream');
  });

  it('turns a declared range into the concrete type the client asks for', () => {
    expect(chooseMediaType(['image/*'], 'image/webp, image/png;q=0.5', 'binary', 200)).toBe(
      'image/webp',
    );
    expect(chooseMediaType(['*/*'], undefined, 'json', 200)).toBe('application/json');
  });

  it('throws a 406 problem only when nothing declared is acceptable', () => {
    expect(() => chooseMediaType(['application/json'], 'text/html', 'json', 200)).toThrow(
      expect.objectContaining({ status: 406 }) as HttpProblem,
    );
    expect(chooseMediaType(['application/json', 'text/html'], 'text/html', 'text', 200)).toBe(
      'text/html',
    );
  });

  it('ignores Accept for error statuses rather than hide the error', () => {
    expect(chooseMediaType(['application/problem+json'], 'text/html', 'json', 404)).toBe(
      'application/problem+json',
    );
  });

  it('throws a 500 problem when the result fits no declared type', () => {
    expect(() => chooseMediaType(['text/csv'], undefined, 'json', 200)).toThrow(
      expect.objectContaining({ status: 500 }) as HttpProblem,
    );
  });
});

describe('negotiation over HTTP', () => {
  const app = serveResult(
    operationWith({ '200': ['application/json', 'text/html', 'text/plain'] }),
    (req) => (req.accepts('json') && !req.accepts('html') ? { page: 1 } : 'page 1'),
  );

  it.each([
    ['a browser', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text/html'],
    ['curl', '*/*', 'text/html'],
    ['a client that prefers plain text', 'text/plain, text/html;q=0.5', 'text/plain'],
    ['a bare *', '*', 'text/html'],
  ])('answers %s with the best declared type', async (_who, accept, type) => {
    const response = await request(app)
      .get('/r')
      .set('Accept', accept)
      .buffer(true)
      .parse(parseRaw);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(`${type}; charset=utf-8`);
    expect((response.body as Buffer).toString()).toBe('page 1');
  });

  it('answers an API client with JSON', async () => {
    const response = await request(app).get('/r').set('Accept', 'application/json');
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toEqual({ page: 1 });
  });

  it('answers 406 with a problem listing what is available', async () => {
    const response = await request(app).get('/r').set('Accept', 'image/png');
    expect(response.status).toBe(406);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body.detail).toBe(
      'Response 200 is available as application/json, text/html, text/plain; Accept asked for image/png',
    );
  });
});
