import { compileXMetrics } from '../../src/x-metrics/compile-x-metrics';

// Small inline documents for behaviours that need more than one mistake or an option.
const withOperation = (xMetrics: unknown, extra: object = {}) => ({
  openapi: '3.1.0',
  paths: {
    '/orders': { post: { operationId: 'createOrder', 'x-metrics': xMetrics, responses: {} } },
  },
  ...extra,
});

const pointers = (document: unknown) => compileXMetrics(document).problems.map((p) => p.pointer);

describe('x-metrics cross-checks', () => {
  it('reports every problem at once, across levels and entries', () => {
    const document = withOperation(
      {
        trak: true,
        metrics: [
          { name: 'orders', type: 'counter', help: 'Orders.', buckets: [1] },
          { name: 'order_seconds', type: 'histogram', help: 'Time.', buckets: [1, 0.5] },
          {
            name: 'orders_in_progress',
            type: 'gauge',
            help: 'In flight.',
            labels: { s: 'response.status' },
          },
        ],
      },
      { 'x-metrics': { prefix: 'shop', latency: 'average' } },
    );
    expect(pointers(document)).toEqual([
      '#/x-metrics/latency',
      '#/paths/~1orders/post/x-metrics/trak',
      '#/paths/~1orders/post/x-metrics/metrics/0/buckets',
      '#/paths/~1orders/post/x-metrics/metrics/1/buckets',
      '#/paths/~1orders/post/x-metrics/metrics/2/labels/s',
    ]);
  });

  it('says the STYLE example message for descending buckets', () => {
    const document = withOperation({
      metrics: [{ name: 'order_seconds', type: 'histogram', help: 'Time.', buckets: [1, 0.5] }],
    });
    expect(compileXMetrics(document).problems[0]?.message).toBe(
      'x-metrics at #/paths/~1orders/post/x-metrics/metrics/0: "buckets" must be ascending, got [1, 0.5]',
    );
  });

  it('locates operation problems by operationId, method and path', () => {
    const [problem] = compileXMetrics(withOperation({ track: 'no' })).problems;
    expect(problem).toMatchObject({ operationId: 'createOrder', method: 'POST', path: '/orders' });
  });

  it('does not check fn names when no labelFunctions are given', () => {
    const document = withOperation({
      metrics: [
        {
          name: 'orders_total',
          type: 'counter',
          help: 'Orders.',
          labels: { tier: { fn: 'tierOf' } },
        },
      ],
    });
    expect(compileXMetrics(document).problems).toEqual([]);
    expect(compileXMetrics(document, { labelFunctions: {} }).problems[0]?.pointer).toBe(
      '#/paths/~1orders/post/x-metrics/metrics/0/labels/tier/fn',
    );
  });

  it('checks default metric names against a prefix set in code', () => {
    const document = withOperation({
      metrics: [{ name: 'api_http_request_total', type: 'counter', help: 'R.' }],
    });
    expect(compileXMetrics(document).problems).toEqual([]);
    expect(compileXMetrics(document, { defaultsPrefix: 'api' }).problems[0]?.message).toContain(
      'is already used by the default metric "api_http_request_total"',
    );
  });

  it("rejects names of prom-client's process metrics", () => {
    const document = withOperation({
      metrics: [{ name: 'nodejs_orders_total', type: 'counter', help: 'O.' }],
    });
    expect(compileXMetrics(document).problems[0]?.message).toContain(
      "prom-client's process metrics",
    );
  });

  it.each([
    [
      { store: 3 },
      'label "store" must be a source expression or an object, got 3',
      'for a fixed value write store: { value: 3 }',
    ],
    [
      { tier: { from: 'query.tier', values: ['a'], fn: 'x' } },
      'label "tier" mixes "fn" with "from"',
      undefined,
    ],
    [
      { tier: { form: 'query.tier' } },
      'label "tier" has an unknown key "form"',
      'did you mean "from"?',
    ],
    [
      { who: 'params.id' },
      'label "who": "params.id" is not a source expression',
      'did you mean "path.id"?',
    ],
    [
      { total: 'response.body.' },
      'label "total": "response.body." is not a source expression',
      undefined,
    ],
  ])('explains the label %j', (labels, text, hint) => {
    const document = withOperation({
      metrics: [{ name: 'orders_total', type: 'counter', help: 'O.', labels }],
    });
    const [problem] = compileXMetrics(document).problems;
    expect(problem?.message).toBe(
      `x-metrics at #/paths/~1orders/post/x-metrics/metrics/0: ${text}`,
    );
    if (hint) expect(problem?.hint).toBe(hint);
  });

  it('reports a metric declared twice in one list once, not per operation', () => {
    const entry = { name: 'calls_total', type: 'counter', help: 'Calls.' };
    const document = {
      'x-metrics': { metrics: [entry, entry] },
      paths: { '/a': { get: { operationId: 'a' }, post: { operationId: 'b' } } },
    };
    expect(pointers(document)).toEqual(['#/x-metrics/metrics/1/name']);
  });

  it('lets an operation override the path-level track and exclude flags', () => {
    const compiled = compileXMetrics({
      paths: {
        '/a': {
          'x-metrics': { track: false, exclude: true },
          get: { operationId: 'a' },
          post: { operationId: 'b', 'x-metrics': { exclude: false, track: true } },
        },
      },
    });
    expect(compiled.operations.get('a')).toMatchObject({ track: false, exclude: true });
    expect(compiled.operations.get('b')).toMatchObject({ track: true, exclude: false });
  });

  it('applies no metrics to an excluded operation and does not check its parameters', () => {
    const compiled = compileXMetrics({
      'x-metrics': {
        metrics: [{ name: 'calls_total', type: 'counter', help: 'C.', labels: { id: 'path.id' } }],
      },
      paths: {
        '/a/{id}': { parameters: [{ name: 'id', in: 'path' }], get: { operationId: 'a' } },
        '/health': { get: { operationId: 'health', 'x-metrics': { exclude: true } } },
      },
    });
    expect(compiled.problems).toEqual([]);
    expect(compiled.operations.get('health')?.metrics).toEqual([]);
  });
});
