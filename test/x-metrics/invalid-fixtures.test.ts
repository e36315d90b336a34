import { loadSpec } from '../../src/openapi';
import { compileXMetrics } from '../../src/x-metrics/compile-x-metrics';

// One fixture per mistake (test/fixtures/x-metrics-<scenario>/openapi.yaml): each yields exactly
// one problem, pinned here by pointer and message. Every problem also says how to fix it.
const CASES: Array<[scenario: string, pointer: string, message: string]> = [
  [
    'bounded-label-without-values',
    '#/paths/~1pets/get/x-metrics/metrics/0/labels/tier/values',
    'x-metrics at #/paths/~1pets/get/x-metrics/metrics/0: label "tier": "values" must be a non-empty list of strings, got []',
  ],
  [
    'buckets-not-ascending',
    '#/paths/~1pets/post/x-metrics/metrics/0/buckets',
    'x-metrics at #/paths/~1pets/post/x-metrics/metrics/0: "buckets" must be ascending, got [1, 0.5]',
  ],
  [
    'buckets-on-counter',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/buckets',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: "buckets" does not apply to a counter',
  ],
  [
    'conflicting-definitions',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/labels',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: metric "pet_reads_total" is already declared at #/paths/~1pets/get/x-metrics/metrics/0 with label names [], here ["species"]',
  ],
  [
    'declared-twice-for-operation',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/name',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: metric "api_calls_total" is also declared at #/x-metrics/metrics/0 for the same operation, so each request would be recorded twice',
  ],
  [
    'default-metric-name',
    '#/paths/~1pets/post/x-metrics/metrics/0/name',
    'x-metrics at #/paths/~1pets/post/x-metrics/metrics/0: metric name "petstore_http_request_total" is already used by the default metric "petstore_http_request_total"',
  ],
  [
    'document-key-on-operation',
    '#/paths/~1pets~1{petId}/get/x-metrics/prefix',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics: unknown key "prefix"',
  ],
  [
    'exclude-with-metrics',
    '#/paths/~1pets~1{petId}/x-metrics/metrics',
    'x-metrics at #/paths/~1pets~1{petId}/x-metrics: "metrics" are never recorded because "exclude" is true (no metrics at all)',
  ],
  [
    'fixed-value-without-braces',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/labels/store',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: label "store": "main" is not a source expression',
  ],
  [
    'in-progress-gauge-response-label',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/labels/status',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: label "status" uses response.status, but a gauge without "value" counts requests in progress and is labelled before the response exists',
  ],
  [
    'invalid-excluded-path',
    '#/x-metrics/excludedPaths/0',
    'x-metrics at #/x-metrics: "excludedPaths[0]" is not a regular expression: Invalid regular expression: /^/internal(/: Unterminated group',
  ],
  [
    'invalid-metric-name',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/name',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: "name" must match [a-zA-Z_:][a-zA-Z0-9_:]*, got "pet-lookups_total"',
  ],
  [
    'invalid-prefix',
    '#/x-metrics/prefix',
    'x-metrics at #/x-metrics: "prefix" must be a Prometheus name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*) or "", got "pet-store"',
  ],
  [
    'label-shadows-default-label',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/labels/service',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: label "service" is also a default label (#/x-metrics/defaultLabels/service), which is added to every metric',
  ],
  [
    'le-label-on-histogram',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/labels/le',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: label name "le" is reserved for histogram bucket bounds',
  ],
  [
    'missing-help',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/help',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: "help" is required',
  ],
  [
    'misspelt-source',
    '#/paths/~1pets/get/x-metrics/metrics/0/labels/tenant',
    'x-metrics at #/paths/~1pets/get/x-metrics/metrics/0: label "tenant": "headers.x-tenant" is not a source expression',
  ],
  [
    'negative-max-age',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/maxAgeSeconds',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: "maxAgeSeconds" must be greater than 0, got -60',
  ],
  [
    'percentiles-on-histogram',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/percentiles',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: "percentiles" does not apply to a histogram',
  ],
  [
    'quantile-label-on-summary',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/labels/quantile',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: label name "quantile" is reserved for summary quantiles',
  ],
  [
    'reserved-label-prefix',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/labels/__kind',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: label name "__kind" starts with "__", which Prometheus reserves',
  ],
  [
    'response-default-label-with-gauge',
    '#/x-metrics/defaultLabels/status_class',
    'x-metrics at #/x-metrics/defaultLabels: default label "status_class" uses response.status, but the in-progress gauge at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0 is labelled before the response exists',
  ],
  [
    'summary-latency-with-buckets',
    '#/x-metrics/buckets',
    'x-metrics at #/x-metrics: "buckets" has no effect with latency: summary',
  ],
  [
    'undeclared-path-parameter',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/labels/pet',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: label "pet" uses path.id, but getPet does not declare the path parameter "id"',
  ],
  [
    'undeclared-query-parameter',
    '#/x-metrics/metrics/0/labels/tier/from',
    'x-metrics at #/x-metrics/metrics/0: label "tier" uses query.tier, but createPet, getPet do not declare the query parameter "tier"',
  ],
  [
    'unknown-key',
    '#/paths/~1pets~1{petId}/get/x-metrics/trak',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics: unknown key "trak"',
  ],
  [
    'unknown-label-function',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/labels/kind/fn',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: label "kind" names the label function "petKnd", which labelFunctions does not have',
  ],
  [
    'unknown-type',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/type',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: "type" must be one of counter, gauge, histogram, summary, got "count"',
  ],
  [
    'value-not-numeric',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/value',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: "value" must be numeric, got "method", which is text',
  ],
  [
    'x-metrics-not-an-object',
    '#/paths/~1pets/x-metrics',
    'x-metrics at #/paths/~1pets: "x-metrics" must be an object, got true',
  ],
];

// Naming advice (promtool's lint rules beyond Prometheus' name syntax): one warning each, never a
// boot error, so a spec that the contract accepts always boots.
const ADVICE: Array<[scenario: string, pointer: string, message: string]> = [
  [
    'abbreviated-unit',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/name',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: "name" should spell out its unit, got "_kb" in "pet_payload_kb"',
  ],
  [
    'camel-case-name',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/name',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: "name" should be snake_case, got "petLookups_total"',
  ],
  [
    'counter-without-total',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/name',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: counter names should end in "_total", got "pet_lookups" (exposed as "pet_lookups_total")',
  ],
  [
    'duration-without-seconds',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/name',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: "name" should end in "_seconds" because the metric records durations (the default for histograms and summaries), got "pet_lookup_latency"',
  ],
  [
    'non-base-unit',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/name',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: "name" should use the base unit "seconds", got "milliseconds" in "pet_cache_age_milliseconds"',
  ],
  [
    'total-on-gauge',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/name',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: only counter names should end in "_total", got "pet_lookups_in_progress_total"',
  ],
  [
    'type-in-name',
    '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0/name',
    'x-metrics at #/paths/~1pets~1{petId}/get/x-metrics/metrics/0: "name" should not include its type "histogram", got "pet_lookup_histogram_seconds"',
  ],
];

// Names a label function so that `{ fn }` names are checked.
const labelFunctions = { petKind: () => 'cat' };

describe('compileXMetrics on invalid fixtures', () => {
  it('covers at least 20 distinct mistakes', () => {
    expect(new Set(CASES.map(([scenario]) => scenario)).size).toBeGreaterThanOrEqual(20);
  });

  it.each(CASES)('reports x-metrics-%s at its pointer', async (scenario, pointer, message) => {
    const { document } = await loadSpec(`test/fixtures/x-metrics-${scenario}/openapi.yaml`);
    const { problems } = compileXMetrics(document, { labelFunctions });
    expect(problems.map((p) => ({ pointer: p.pointer, message: p.message }))).toEqual([
      { pointer, message },
    ]);
    expect(problems[0]?.hint).toEqual(expect.any(String));
  });

  it.each(ADVICE)(
    'warns about x-metrics-%s at its pointer, without failing',
    async (scenario, pointer, message) => {
      const { document } = await loadSpec(`test/fixtures/x-metrics-${scenario}/openapi.yaml`);
      const { problems, warnings } = compileXMetrics(document, { labelFunctions });
      expect(problems).toEqual([]);
      expect(warnings.map((p) => ({ pointer: p.pointer, message: p.message }))).toEqual([
        { pointer, message },
      ]);
      expect(warnings[0]?.hint).toEqual(expect.any(String));
    },
  );
});
