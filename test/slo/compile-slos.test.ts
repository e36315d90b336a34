import { readFileSync } from 'node:fs';
import { loadSpec } from '../../src/openapi/load-spec';
import { compileSlos, SLO_SCHEMA_FILE, toBudget } from '../../src/slo';

const fixture = (scenario: string) => `test/fixtures/slo-${scenario}/openapi.yaml`;

async function compile(scenario: string) {
  const spec = await loadSpec(fixture(scenario));
  return compileSlos(spec.document, { operations: spec.operations });
}

describe('compileSlos: resolution', () => {
  it('takes each key from the nearest level that sets it', async () => {
    const { problems, slos } = await compile('levels');
    expect(problems).toEqual([]);
    const byId = Object.fromEntries(slos.map((slo) => [slo.operationId, slo]));
    expect(byId.listOrders).toMatchObject({
      window: '30d',
      availability: { objective: 99.5, declaredAt: '#/paths/~1orders/x-slo/availability' },
      latency: { threshold: 0.25, objective: 99, declaredAt: '#/x-slo/latency' },
    });
    expect(byId.createOrder).toMatchObject({
      window: '30d',
      availability: { objective: 99.5 },
      latency: { threshold: 1, objective: 95, budget: 0.05 },
    });
  });

  it('turns objectives off with false, and lets a lower level turn one back on', async () => {
    const { slos } = await compile('levels');
    const ids = slos.map((slo) => slo.operationId);
    // x-slo: false on /orders/{id}: deleteOrder has none; getOrder sets availability again.
    expect(ids).not.toContain('deleteOrder');
    const getOrder = slos.find((slo) => slo.operationId === 'getOrder');
    expect(getOrder).toMatchObject({ window: '28d', availability: { objective: 99.99 } });
    expect(getOrder?.latency).toBeUndefined();
  });

  it('labels an operation without operationId by its derived id, with its own window', async () => {
    const { slos } = await compile('levels');
    const reports = slos.find((slo) => slo.path === '/reports');
    expect(reports).toMatchObject({
      operationId: 'getReports',
      method: 'GET',
      window: '7d',
      windowSeconds: 7 * 86_400,
      availability: { objective: 99.9, budget: 0.001 },
    });
    expect(reports?.latency).toBeUndefined();
  });

  it('leaves out operations without default metrics when the SLO is the document-wide one', async () => {
    const { problems, slos, untracked } = await compile('levels');
    expect(problems).toEqual([]);
    expect(untracked).toEqual(['getLogo']);
    expect(slos.map((slo) => slo.operationId)).not.toContain('getLogo');
  });

  it('lists each latency threshold once, ascending, and groups by operation and default labels', async () => {
    const { thresholds, metrics } = await compile('levels');
    expect(thresholds).toEqual([0.25, 1]);
    expect(metrics).toEqual({
      prefix: 'express_',
      durationMetric: 'express_http_request_duration_seconds',
      groupLabels: ['operation', 'region'],
      latency: 'histogram',
    });
  });

  it('computes budgets without floating-point noise', () => {
    expect([99.9, 99.5, 99.99, 99, 95].map(toBudget)).toEqual([0.001, 0.005, 0.0001, 0.01, 0.05]);
  });

  it('defaults the window to 28d and the prefix of the code options wins', async () => {
    const spec = await loadSpec(fixture('burn-rates'));
    const document = { ...spec.document, 'x-slo': { availability: 99 } };
    const compiled = compileSlos(document, { metrics: { defaultsPrefix: 'shop' } });
    expect(compiled.slos[0]).toMatchObject({ window: '28d', windowSeconds: 28 * 86_400 });
    expect(compiled.metrics.durationMetric).toBe('shop_http_request_duration_seconds');
  });
});

describe('compileSlos: problems', () => {
  it('reports every problem at once, each with its pointer, operation and a fix', async () => {
    const { problems } = await compile('every-problem');
    const summary = problems.map((p) => [p.pointer, p.operationId, p.message]);
    expect(summary).toEqual([
      ['#/x-slo/latencey', undefined, 'x-slo at #/x-slo: unknown key "latencey"'],
      [
        '#/x-slo/availability',
        undefined,
        'x-slo at #/x-slo: "availability" must be a percentage between 0 and 100 (both excluded), e.g. 99.9, or false, got 100',
      ],
      [
        '#/paths/~1a/x-slo/window',
        undefined,
        'x-slo at #/paths/~1a/x-slo: "window" must be a whole number of hours, days or weeks between 7d and 90d, got "four weeks"',
      ],
      [
        '#/paths/~1a/get/x-slo/latency/objective',
        'getA',
        'x-slo at #/paths/~1a/get/x-slo/latency: "latency" needs "objective"',
      ],
      [
        '#/paths/~1a/post/x-slo/availability',
        'postA',
        'x-slo at #/paths/~1a/post/x-slo: "availability" must be a percentage between 0 and 100 (both excluded), e.g. 99.9, or false, got "99.9"',
      ],
      [
        '#/paths/~1a/post/x-slo/latency/threshold',
        'postA',
        'x-slo at #/paths/~1a/post/x-slo/latency: "threshold" must be a number of seconds between 0.001 and 3600, got 0',
      ],
      [
        '#/paths/~1a/post/x-slo/latency/objective',
        'postA',
        'x-slo at #/paths/~1a/post/x-slo/latency: "objective" must be a percentage between 0 and 100 (both excluded), e.g. 99.9, got 0',
      ],
      [
        '#/paths/~1b/get/x-slo',
        'getB',
        'x-slo at #/paths/~1b/get/x-slo: x-slo must be a map of window, availability, latency, or false, got true',
      ],
      [
        '#/x-slo/window',
        undefined,
        'x-slo at #/x-slo: "window" must be between 7d and 90d, got "1d"',
      ],
      [
        '#/paths/~1b/put/x-slo/availability',
        'putB',
        'x-slo at #/paths/~1b/put/x-slo: putB has no default metrics (x-metrics track: false), so no objective can be measured',
      ],
      [
        '#/paths/~1c/get/x-slo/latency',
        'getC',
        'x-slo at #/paths/~1c/get/x-slo: getC has no default metrics (x-metrics exclude: true), so no objective can be measured',
      ],
    ]);
    for (const problem of problems) expect(problem.hint).toEqual(expect.any(String));
    expect(problems[0]?.hint).toBe('did you mean "latency"?');
  });

  it('refuses a latency objective when the duration metric is a summary', async () => {
    const { problems } = await compile('latency-on-summary');
    expect(problems).toEqual([
      {
        message:
          'x-slo at #/paths/~1a/get/x-slo: a latency objective needs the default duration metric as a histogram (its 0.3 s bucket), but latency is a summary',
        pointer: '#/paths/~1a/get/x-slo/latency',
        operationId: 'getA',
        method: 'GET',
        path: '/a',
        hint: 'set x-metrics latency: histogram (the default), or latency: false here',
      },
    ]);
  });

  it('refuses SLOs when the duration metric is not grouped by operation', async () => {
    const { problems } = await compile('grouped-by-route');
    expect(problems).toEqual([
      {
        message:
          'x-slo needs the default duration metric grouped by operation, but x-metrics groupBy is "route"',
        pointer: '#/x-metrics/groupBy',
        hint: 'remove groupBy from x-metrics, or set groupBy: operation',
      },
    ]);
    const spec = await loadSpec(fixture('levels'));
    const inCode = compileSlos(spec.document, { metrics: { groupBy: 'path' } }).problems;
    expect(inCode).toEqual([expect.objectContaining({ hint: expect.stringMatching(/groupBy/) })]);
  });

  it('says x-slo: false at document level turns nothing off', () => {
    const document = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {},
      'x-slo': false,
    };
    expect(compileSlos(document).problems).toEqual([
      {
        message: 'x-slo at #/x-slo: x-slo: false turns nothing off at document level',
        pointer: '#/x-slo',
        hint: 'remove x-slo from the document: false is for path items and operations',
      },
    ]);
  });
});

describe('schema/x-slo.schema.json', () => {
  it('sits beside the x-metrics schema, with a definition per level', () => {
    expect(SLO_SCHEMA_FILE).toMatch(/schema[\\/]x-slo\.schema\.json$/);
    const schema = JSON.parse(readFileSync(SLO_SCHEMA_FILE, 'utf8')) as {
      $id: string;
      definitions: Record<string, unknown>;
    };
    expect(schema.$id).toBe('urn:spectrometer:x-slo');
    expect(Object.keys(schema.definitions)).toEqual(
      expect.arrayContaining(['documentLevel', 'pathItemLevel', 'operationLevel']),
    );
  });
});
