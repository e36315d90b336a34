import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import type { Handlers } from '../../src/api/request/handler-context';
import { SpectrometerError } from '../../src/errors';
import { loadSpec } from '../../src/openapi';
import { compileXMetrics } from '../../src/x-metrics';
import { findSamples } from '../helpers/exposition';

const SPEC = join(__dirname, '..', 'fixtures', 'mock-missing-label-function', 'openapi.yaml');

const PET_KIND_WARNING =
  'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: label function "petKind" is not given: label "kind" of pet_lookups_total is "__missing__" in mock mode';
const REGION_WARNING =
  'x-metrics at #/x-metrics/defaultLabels: label function "regionOf" is not given: label "region" of every metric is "__missing__" in mock mode';

describe('compileXMetrics: missingLabelFunctions', () => {
  it("reports an unknown label function as a problem by default ('error')", async () => {
    const { document } = await loadSpec(SPEC);
    const compiled = compileXMetrics(document, { labelFunctions: {} });
    expect(compiled.problems.map((p) => p.pointer)).toEqual([
      '#/x-metrics/defaultLabels/region/fn',
      '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/labels/kind/fn',
    ]);
    expect(compiled.bootWarnings).toEqual([]);
  });

  it("records '__missing__' and returns boot warnings with 'placeholder'", async () => {
    const { document } = await loadSpec(SPEC);
    const compiled = compileXMetrics(document, {
      labelFunctions: { petKnd: () => 'dog' },
      missingLabelFunctions: 'placeholder',
    });
    expect(compiled.problems).toEqual([]);
    expect(compiled.bootWarnings).toEqual([
      {
        message: REGION_WARNING,
        pointer: '#/x-metrics/defaultLabels/region/fn',
        hint: 'known label functions: petKnd',
      },
      {
        message: PET_KIND_WARNING,
        pointer: '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/labels/kind/fn',
        operationId: 'getPet',
        method: 'GET',
        path: '/pets/{petId}',
        hint: 'did you mean "petKnd"?',
      },
    ]);
    const missing = { kind: 'fixed', value: '__missing__' };
    expect(compiled.document.defaultLabels).toEqual([{ name: 'region', source: missing }]);
    expect(compiled.operations.get('getPet')?.metrics[0]?.labels).toEqual([
      { name: 'kind', source: missing },
      { name: 'status', source: { kind: 'responseStatus' } },
    ]);
  });

  it('keeps real mistakes as problems in placeholder mode', () => {
    const compiled = compileXMetrics(
      {
        openapi: '3.0.3',
        paths: {
          '/a': {
            get: {
              operationId: 'getA',
              responses: {},
              'x-metrics': {
                metrics: [
                  {
                    name: 'a_total',
                    type: 'counter',
                    help: 'A.',
                    labels: { le: { fn: 'nobody' }, kind: 'nowhere.x' },
                  },
                ],
              },
            },
          },
        },
      },
      { labelFunctions: {}, missingLabelFunctions: 'placeholder' },
    );
    expect(compiled.problems.map((p) => p.pointer)).toEqual([
      '#/paths/~1a/get/x-metrics/metrics/0/labels/le',
      '#/paths/~1a/get/x-metrics/metrics/0/labels/kind',
    ]);
    expect(compiled.operations.get('getA')?.metrics).toEqual([]);
  });
});

describe('createApi: label functions nobody gives', () => {
  const options = () => ({
    spec: SPEC,
    metrics: { registry: new Registry(), processMetrics: false },
    logger: { warn: jest.fn() },
  });

  it('boots in mock mode, labels "__missing__" and warns naming each function', async () => {
    const { logger, ...rest } = options();
    const api = await createApi({ ...rest, logger, missingHandler: 'mock' });
    expect(api.warnings.map((w) => w.message)).toEqual([REGION_WARNING, PET_KIND_WARNING]);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining(PET_KIND_WARNING));
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining(REGION_WARNING));

    const response = await request(api.app).get('/pets/3');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 7 });
    const scrape = await request(api.app).get('/metrics');
    expect(
      findSamples(scrape.text, 'pet_lookups_total', {
        kind: '__missing__',
        status: '200',
        region: '__missing__',
      }).map((s) => s.value),
    ).toEqual([1]);
  });

  it.each(['error', 'not-implemented'] as const)(
    'fails to boot with missingHandler %s, as before',
    async (missingHandler) => {
      const handlers: Handlers = missingHandler === 'error' ? { getPet: () => ({ id: 1 }) } : {};
      const boot = createApi({ ...options(), handlers, missingHandler });
      await expect(boot).rejects.toThrow(SpectrometerError);
      await expect(boot).rejects.toMatchObject({
        code: 'SPM_X_METRICS_INVALID',
        problems: [
          expect.objectContaining({ pointer: '#/x-metrics/defaultLabels/region/fn' }),
          expect.objectContaining({
            pointer: '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/labels/kind/fn',
          }),
        ],
      });
    },
  );
});
