import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { loadSpec } from '../../src/openapi';
import { compileXMetrics } from '../../src/x-metrics/compile-x-metrics';
import { resolveLabel, resolveValue } from '../../src/x-metrics/resolve-source';
import type { CompiledMetric, SourceContext } from '../../src/x-metrics/types';
import { promtoolCheckMetrics } from '../helpers/promtool';

const ctx: SourceContext = {
  method: 'get',
  operationId: 'getPet',
  route: '/pets/{petId}',
  params: { petId: '7' },
  query: { tier: 'pro' },
  headers: { 'x-tenant': 'acme', 'content-type': 'application/json' },
  cookies: { plan: 'paid' },
  requestBody: { species: 'cat' },
  status: 200,
  responseHeaders: { 'x-cache': 'HIT', 'x-cache-age': '3' },
  responseBody: { species: 'cat', length: 2 },
  durationSeconds: 0.02,
  requestSize: 10,
  responseSize: 20,
  labelFunctions: { petKind: () => 'pet' },
};

// Records one request into prom-client straight from the compiled shape.
function record(registry: Registry, metric: CompiledMetric): void {
  const labelNames = [...metric.labelNames];
  const labels = Object.fromEntries(
    metric.labels.map((l) => [l.name, resolveLabel(l.source, ctx) ?? '']),
  );
  const value = resolveValue(metric.value, ctx) ?? 0;
  const base = { name: metric.name, help: metric.help, labelNames, registers: [registry] };
  if (registry.getSingleMetric(metric.name)) return;
  if (metric.type === 'counter') new Counter(base).inc(labels, value);
  if (metric.type === 'gauge') new Gauge(base).set(labels, value);
  if (metric.type === 'histogram')
    new Histogram({ ...base, buckets: [...(metric.buckets ?? [])] }).observe(labels, value);
  if (metric.type === 'summary')
    new Summary({ ...base, percentiles: [...(metric.percentiles ?? [])] }).observe(labels, value);
}

it('compiles metrics whose exposition passes promtool check metrics', async () => {
  const { document } = await loadSpec('test/fixtures/x-metrics-every-feature/openapi.yaml');
  const compiled = compileXMetrics(document, { labelFunctions: { petKind: () => 'pet' } });
  const registry = new Registry();
  for (const op of compiled.operations.values())
    for (const metric of op.metrics) record(registry, metric);
  const text = await registry.metrics();
  const result = promtoolCheckMetrics(text);
  if (result) expect(result).toEqual({ status: 0, output: '' });
  expect(text).toContain('pet_lookups_total{species="cat"} 1');
  expect(text).toContain('petstore_calls_total{operation="getPet",method="GET",plan="paid"} 1');
});
