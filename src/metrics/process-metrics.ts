import { collectDefaultMetrics, type Registry } from 'prom-client';

// Registries whose process metrics are already collected.
const collecting = new WeakSet<Registry>();

/** prom-client's process and Node.js metrics on `registry`, once however many exporters use it. */
export function collectProcessMetrics(registry: Registry): void {
  if (collecting.has(registry)) return;
  collecting.add(registry);
  // Someone else may already collect them on this registry (their own collectDefaultMetrics).
  if (registry.getSingleMetric('process_cpu_user_seconds_total')) return;
  collectDefaultMetrics({ register: registry });
  // These three gauges end in `_total`, which promtool rejects for non-counters; each is just
  // `sum(nodejs_active_<kind>)`, so dropping them keeps the exposition lint-clean, losing nothing.
  for (const kind of ['handles', 'requests', 'resources']) {
    registry.removeSingleMetric(`nodejs_active_${kind}_total`);
  }
}
