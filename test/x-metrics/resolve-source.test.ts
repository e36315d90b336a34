import { resolveLabel, resolveSource, resolveValue } from '../../src/x-metrics/resolve-source';
import type { SourceContext } from '../../src/x-metrics/types';

const ctx: SourceContext = {
  method: 'post',
  operationId: 'createPet',
  route: '/pets/{petId}',
  params: { petId: '42' },
  query: { tier: 'pro', limit: '10', tags: ['a', 'b'] },
  headers: { 'x-tenant': 'acme', 'content-length': '120' },
  cookies: { plan: 'trial' },
  requestBody: { species: 'cat', owner: { name: 'Ann' } },
  status: 201,
  responseHeaders: { 'x-cache': 'HIT', 'x-cache-age': '30' },
  responseBody: { species: 'cat', items: [1, 2, 3], ok: true },
  durationSeconds: 0.012,
  requestSize: 120,
  responseSize: 64,
  handlerContext: { user: 'ann' },
  labelFunctions: { petKind: (context: { user: string }) => `kind-of-${context.user}` },
};

describe('resolveLabel', () => {
  it.each([
    [{ kind: 'method' }, 'POST'],
    [{ kind: 'operation' }, 'createPet'],
    [{ kind: 'route' }, '/pets/{petId}'],
    [{ kind: 'path', name: 'petId' }, '42'],
    [{ kind: 'query', name: 'tier' }, 'pro'],
    [{ kind: 'query', name: 'tags' }, 'a,b'],
    [{ kind: 'header', name: 'x-tenant' }, 'acme'],
    [{ kind: 'cookie', name: 'plan' }, 'trial'],
    [{ kind: 'requestBody', path: ['owner', 'name'] }, 'Ann'],
    [{ kind: 'responseStatus' }, '201'],
    [{ kind: 'responseHeader', name: 'x-cache' }, 'HIT'],
    [{ kind: 'responseBody', path: ['ok'] }, 'true'],
    [{ kind: 'responseBody', path: ['items', 'length'] }, '3'],
    [{ kind: 'fixed', value: 'main' }, 'main'],
    [{ kind: 'function', fn: 'petKind' }, 'kind-of-ann'],
  ] as const)('resolves %j to %j', (source, expected) => {
    expect(resolveLabel(source, ctx)).toBe(expected);
  });

  it('gives undefined for missing values and objects', () => {
    expect(resolveLabel({ kind: 'requestBody', path: ['missing', 'deeper'] }, ctx)).toBeUndefined();
    expect(resolveLabel({ kind: 'requestBody', path: ['owner'] }, ctx)).toBeUndefined();
    expect(resolveLabel({ kind: 'function', fn: 'nope' }, ctx)).toBeUndefined();
  });

  it('does not walk into inherited properties', () => {
    expect(resolveLabel({ kind: 'requestBody', path: ['constructor'] }, ctx)).toBeUndefined();
  });

  it('keeps listed values of a bounded label and maps the rest to other', () => {
    const bounded = (values: string[]) =>
      resolveLabel(
        { kind: 'bounded', from: { kind: 'query', name: 'tier' }, values, other: 'other' },
        ctx,
      );
    expect(bounded(['free', 'pro'])).toBe('pro');
    expect(bounded(['free'])).toBe('other');
    const missing = {
      kind: 'bounded',
      from: { kind: 'query', name: 'x' },
      values: ['a'],
      other: 'none',
    } as const;
    expect(resolveLabel(missing, ctx)).toBe('none');
  });

  it('compares bounded numeric sources as strings', () => {
    const status = {
      kind: 'bounded',
      from: { kind: 'responseStatus' },
      values: ['200', '201'],
      other: 'other',
    } as const;
    expect(resolveLabel(status, ctx)).toBe('201');
  });
});

describe('resolveValue', () => {
  it.each([
    [{ kind: 'constant', value: 1 }, 1],
    [{ kind: 'inProgress' }, 1],
    [{ kind: 'duration' }, 0.012],
    [{ kind: 'requestSize' }, 120],
    [{ kind: 'responseSize' }, 64],
    [{ kind: 'responseBody', path: ['items', 'length'] }, 3],
    [{ kind: 'responseHeader', name: 'x-cache-age' }, 30],
    [{ kind: 'header', name: 'content-length' }, 120],
    [{ kind: 'query', name: 'limit' }, 10],
    [{ kind: 'responseStatus' }, 201],
  ] as const)('resolves %j to %j', (source, expected) => {
    expect(resolveValue(source, ctx)).toBe(expected);
  });

  it('gives undefined for text and missing values', () => {
    expect(resolveValue({ kind: 'responseBody', path: ['species'] }, ctx)).toBeUndefined();
    expect(resolveValue({ kind: 'query', name: 'missing' }, ctx)).toBeUndefined();
  });
});

describe('resolveSource', () => {
  it('resolves labels by default and values when asked', () => {
    expect(resolveSource({ kind: 'responseStatus' }, ctx)).toBe('201');
    expect(resolveSource({ kind: 'responseStatus' }, ctx, 'value')).toBe(201);
  });
});
