import { loadSpec } from '../../src/openapi';
import { compileXMetrics } from '../../src/x-metrics/compile-x-metrics';
import type { CompiledXMetrics } from '../../src/x-metrics/types';

const FIXTURE = 'test/fixtures/x-metrics-every-feature/openapi.yaml';

async function compileFixture(): Promise<CompiledXMetrics> {
  const { document } = await loadSpec(FIXTURE);
  return compileXMetrics(document, { labelFunctions: { petKind: () => 'dog' } });
}

const names = (compiled: CompiledXMetrics, key: string) =>
  compiled.operations.get(key)?.metrics.map((metric) => metric.name);

describe('compileXMetrics on a spec using every feature', () => {
  it('finds no problems', async () => {
    expect((await compileFixture()).problems).toEqual([]);
  });

  it('compiles the document level into PrometheusMetrics-style settings', async () => {
    expect((await compileFixture()).document).toEqual({
      defaultsPrefix: 'petstore',
      groupBy: 'operation',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      defaultLatencyAsHistogram: true,
      defaultLabels: [
        { name: 'service', source: { kind: 'fixed', value: 'petstore' } },
        { name: 'tenant', source: { kind: 'header', name: 'x-tenant' } },
      ],
      excludedPaths: ['^/internal'],
      excludeUserDefaults: false,
    });
  });

  it('applies document, path-item and operation metrics in that order', async () => {
    const compiled = await compileFixture();
    expect(names(compiled, 'listPets')).toEqual(['petstore_calls_total', 'pets_per_listing']);
    expect(names(compiled, 'createPet')).toEqual([
      'petstore_calls_total',
      'pets_created_total',
      'pet_request_body_bytes',
    ]);
    expect(names(compiled, 'getPet')).toEqual([
      'petstore_calls_total',
      'pet_requests_in_progress',
      'pet_lookups_total',
      'pet_cache_age_seconds',
      'pet_response_bytes_total',
    ]);
    expect(names(compiled, 'deletePet')).toEqual([
      'petstore_calls_total',
      'pet_requests_in_progress',
      'pet_lookups_total',
    ]);
  });

  it('turns track: false and a path-level exclude: true into operation flags', async () => {
    const compiled = await compileFixture();
    expect(compiled.operations.get('getPet')).toMatchObject({ track: false, exclude: false });
    expect(compiled.operations.get('deletePet')).toMatchObject({ track: true, exclude: false });
    expect(compiled.operations.get('checkHealth')).toEqual({
      track: true,
      exclude: true,
      metrics: [],
    });
  });

  it('compiles every label form', async () => {
    const [, created] = (await compileFixture()).operations.get('createPet')?.metrics ?? [];
    expect(created).toEqual({
      name: 'pets_created_total',
      type: 'counter',
      help: 'Pets created by species.',
      labelNames: ['species', 'status', 'store', 'kind'],
      labels: [
        { name: 'species', source: { kind: 'requestBody', path: ['species'] } },
        { name: 'status', source: { kind: 'responseStatus' } },
        { name: 'store', source: { kind: 'fixed', value: 'main' } },
        { name: 'kind', source: { kind: 'function', fn: 'petKind' } },
      ],
      value: { kind: 'constant', value: 1 },
      declaredAt: ['#/paths/~1pets/post/x-metrics/metrics/0'],
    });
  });

  it('compiles bounded labels with their "other" value, default "other"', async () => {
    const compiled = await compileFixture();
    const [calls, listing] = compiled.operations.get('listPets')?.metrics ?? [];
    expect(calls?.labels[2]?.source).toEqual({
      kind: 'bounded',
      from: { kind: 'cookie', name: 'plan' },
      values: ['trial', 'paid'],
      other: 'other',
    });
    expect(listing?.labels[0]?.source).toMatchObject({ values: ['free', 'pro'], other: 'unknown' });
  });

  it('compiles value expressions and type-specific options', async () => {
    const compiled = await compileFixture();
    const [, listing] = compiled.operations.get('listPets')?.metrics ?? [];
    const [, , bodyBytes] = compiled.operations.get('createPet')?.metrics ?? [];
    const [, inProgress, , cacheAge, responseBytes] =
      compiled.operations.get('getPet')?.metrics ?? [];
    expect(listing).toMatchObject({
      buckets: [1, 5, 10, 50],
      value: { kind: 'responseBody', path: ['length'] },
    });
    expect(bodyBytes).toMatchObject({
      type: 'summary',
      percentiles: [0.5, 0.9, 0.99],
      maxAgeSeconds: 600,
      ageBuckets: 5,
      value: { kind: 'requestSize' },
      labels: [{ name: 'content_type', source: { kind: 'header', name: 'content-type' } }],
    });
    expect(inProgress?.value).toEqual({ kind: 'inProgress' });
    expect(cacheAge?.value).toEqual({ kind: 'responseHeader', name: 'x-cache-age' });
    expect(responseBytes?.value).toEqual({ kind: 'responseSize' });
  });

  it('shares one definition between operations and lists every declaration', async () => {
    const compiled = await compileFixture();
    const fromGet = compiled.operations.get('getPet')?.metrics[2];
    const fromDelete = compiled.operations.get('deletePet')?.metrics[2];
    const places = [
      '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0',
      '#/paths/~1pets~1{petId}/delete/x-metrics/metrics/0',
    ];
    expect(fromGet?.declaredAt).toEqual(places);
    expect(fromDelete?.declaredAt).toEqual(places);
    expect(fromGet?.labels[0]?.source).toEqual({ kind: 'responseBody', path: ['species'] });
    expect(fromDelete?.labels[0]?.source).toEqual({ kind: 'fixed', value: 'none' });
  });

  it('gives a document without x-metrics empty settings and no metrics', () => {
    const compiled = compileXMetrics({
      openapi: '3.1.0',
      paths: { '/a': { get: { operationId: 'a', responses: {} } } },
    });
    expect(compiled).toEqual({
      problems: [],
      warnings: [],
      bootWarnings: [],
      unboundedLabels: [],
      document: {},
      operations: new Map([['a', { track: true, exclude: false, metrics: [] }]]),
    });
  });

  it('keys an operation without operationId by the id createApi derives for it', () => {
    const document = { paths: { '/a/{id}': { post: { responses: {} } } } };
    const compiled = compileXMetrics(document);
    expect([...compiled.operations.keys()]).toEqual(['postAById']);
    expect(document.paths['/a/{id}'].post).toEqual({ responses: {} });
  });

  it('names operations as loadSpec does, numbered derived ids and $ref-ed path items included', async () => {
    const ok = { responses: { '200': { description: 'ok' } } };
    const document = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/a-b': { get: ok },
        '/a_b': { get: { ...ok, operationId: 'getAB' }, post: ok },
        '/c': { $ref: '#/components/x-items/c' },
      },
      components: { 'x-items': { c: { get: ok, put: ok } } },
    };
    const compiled = compileXMetrics(structuredClone(document));
    const { operations } = await loadSpec(structuredClone(document));
    expect([...compiled.operations.keys()]).toEqual(operations.map((op) => op.operationId));
    expect([...compiled.operations.keys()]).toEqual(['getAB2', 'getAB', 'postAB', 'getC', 'putC']);
  });

  it('follows local $refs of path items and parameters in raw documents', () => {
    const compiled = compileXMetrics({
      paths: { '/pets/{id}': { $ref: '#/components/x-paths/pet' } },
      components: {
        parameters: { id: { name: 'id', in: 'path', required: true } },
        'x-paths': {
          pet: {
            parameters: [{ $ref: '#/components/parameters/id' }],
            get: {
              operationId: 'getPet',
              'x-metrics': {
                metrics: [
                  {
                    name: 'reads_total',
                    type: 'counter',
                    help: 'Reads.',
                    labels: { id: 'path.id' },
                  },
                ],
              },
            },
          },
        },
      },
    });
    expect(compiled.problems).toEqual([]);
    expect(compiled.operations.get('getPet')?.metrics[0]?.labelNames).toEqual(['id']);
  });
});
