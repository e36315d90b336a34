import type { Registry } from 'prom-client';
import { readSeriesFamilies, type MetricFamily, type SeriesFamily } from '../adapters/prom-client';
import { renderSeriesFamilies } from './render-series';

/** Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';
/** OpenMetrics 1.0.0. */
export const OPENMETRICS_TEXT = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** What to render and how. */
export interface GenerateMetricsOptions {
  /** The scraper's `Accept` header: OpenMetrics when it prefers `application/openmetrics-text`. */
  accept?: string;
  /** Only these metric families or sample names (e.g. `x_bucket`), like `?name[]=`. */
  names?: string[];
}

/** A rendered scrape. */
export interface RenderedMetrics {
  body: string;
  contentType: string;
}

/**
 * Renders a registry in the format the scraper asked for. Rendering is ours rather than
 * `registry.metrics()` because prom-client keeps one content type per registry and renames
 * counters in place when it renders OpenMetrics, which corrupts the next text scrape; it is also
 * faster, reading each metric's series directly instead of an object per sample line.
 */
export async function renderRegistry(
  registry: Registry,
  options: GenerateMetricsOptions = {},
): Promise<RenderedMetrics> {
  const { families, defaultLabels } = await readSeriesFamilies(registry);
  return render(families, defaultLabels, options);
}

/** Renders metric families (e.g. aggregated from cluster workers) as text or OpenMetrics. */
export function renderFamilies(
  families: MetricFamily[],
  options: GenerateMetricsOptions = {},
): RenderedMetrics {
  const wrapped = families.map((family) => ({
    type: 'family' as const,
    name: family.name,
    family,
  }));
  return render(wrapped, {}, options);
}

function render(
  families: SeriesFamily[],
  defaultLabels: Record<string, string>,
  options: GenerateMetricsOptions,
): RenderedMetrics {
  const openMetrics = prefersOpenMetrics(options.accept);
  const body = renderSeriesFamilies(families, {
    openMetrics,
    defaultLabels,
    ...(options.names?.length ? { names: new Set(options.names) } : {}),
  });
  return { body, contentType: openMetrics ? OPENMETRICS_TEXT : PROMETHEUS_TEXT };
}

/** True when the `Accept` header ranks OpenMetrics at least as high as plain text. */
export function prefersOpenMetrics(accept: string | undefined): boolean {
  if (!accept) return false;
  let openMetrics = -1;
  let text = -1;
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    if (type === 'application/openmetrics-text') openMetrics = Math.max(openMetrics, q);
    else if (type === 'text/plain') text = Math.max(text, q);
  }
  return openMetrics >= 0 && openMetrics >= text;
}
