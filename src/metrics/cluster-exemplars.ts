import type { Registry } from 'prom-client';
import type { Exemplar } from '../adapters/prom-client';
import type { Family } from './cluster-messages';
import { exemplarsOf, seriesKey } from './exemplar-store';

// Exemplars through cluster mode: each worker attaches the exemplars it keeps to the samples it
// sends; the primary gives every aggregated sample the latest exemplar any worker had for it
// (prom-client's aggregation keeps values only).

type Value = Family['values'][number] & { metricName?: string; exemplar?: Exemplar | null };
type Labels = Record<string, string | number>;

function pick(labels: Labels, names: readonly string[]): Labels {
  const picked: Labels = {};
  for (const name of names) if (labels[name] !== undefined) picked[name] = labels[name];
  return picked;
}

/**
 * Worker side: the registry's JSON families with the exemplars spectrometer keeps attached to
 * their counter samples and histogram buckets.
 * @example withExemplars(registry, await registry.getMetricsAsJSON())
 */
export function withExemplars(registry: Registry, families: Family[]): Family[] {
  return families.map((family) => {
    const metric = registry.getSingleMetric(family.name);
    const kept = metric && exemplarsOf(metric);
    if (!kept) return family;
    // JSON labels include `le` and registry default labels: the key uses the metric's own.
    const names = (metric as unknown as { labelNames?: string[] }).labelNames ?? [];
    const values = (family.values as Value[]).map((value) => {
      const labels = (value.labels ?? {}) as Labels;
      const slot = kept.get(seriesKey(pick(labels, names)));
      if (!slot) return value;
      if (!(slot instanceof Map)) return { ...value, exemplar: slot };
      if (labels.le === undefined) return value; // a histogram's _sum or _count
      const exemplar = slot.get(labels.le === '+Inf' ? '-1' : String(labels.le));
      return exemplar ? { ...value, exemplar } : value;
    });
    return { ...family, values } as Family;
  });
}

function sampleKey(family: string, value: Value): string {
  return `${family}\n${value.metricName ?? ''}\n${seriesKey((value.labels ?? {}) as Labels)}`;
}

/**
 * Primary side: each aggregated sample with the latest exemplar the workers sent for it.
 * @example keepExemplars(await aggregateFamilies(registries), registries)
 */
export function keepExemplars(aggregated: Family[], registries: Family[][]): Family[] {
  const latest = new Map<string, Exemplar>();
  for (const families of registries) {
    for (const family of families) {
      for (const value of family.values as Value[]) {
        if (!value.exemplar) continue;
        const key = sampleKey(family.name, value);
        const seen = latest.get(key);
        if (!seen || (value.exemplar.timestamp ?? 0) >= (seen.timestamp ?? 0))
          latest.set(key, value.exemplar);
      }
    }
  }
  if (!latest.size) return aggregated;
  return aggregated.map((family) => {
    const values = (family.values as Value[]).map((value) => {
      const exemplar = latest.get(sampleKey(family.name, value));
      return exemplar ? { ...value, exemplar } : value;
    });
    return { ...family, values } as Family;
  });
}
