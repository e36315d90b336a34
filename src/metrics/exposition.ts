import type { MetricValue, Registry } from 'prom-client';
import { readFamilies, type MetricFamily } from '../adapters/prom-client';

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

type Family = MetricFamily;

/**
 * Renders a registry in the format the scraper asked for. Rendering is ours rather than
 * `registry.metrics()` because prom-client keeps one content type per registry and renames
 * counters in place when it renders OpenMetrics, which corrupts the next text scrape. Families
 * are read as prom-client's own renderer reads them (histogram series share one label object).
 */
export async function renderRegistry(
  registry: Registry,
  options: GenerateMetricsOptions = {},
): Promise<RenderedMetrics> {
  return renderFamilies(await readFamilies(registry), options);
}

/** Renders metric families (e.g. aggregated from cluster workers) as text or OpenMetrics. */
export function renderFamilies(families: Family[], options: GenerateMetricsOptions = {}) {
  const selected = options.names?.length ? selectNames(families, options.names) : families;
  if (prefersOpenMetrics(options.accept)) {
    const body = selected.map(renderOpenMetricsFamily).join('');
    return { body: `${body}# EOF\n`, contentType: OPENMETRICS_TEXT };
  }
  return { body: selected.map(renderTextFamily).join(''), contentType: PROMETHEUS_TEXT };
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

function selectNames(families: Family[], names: string[]): Family[] {
  const wanted = new Set(names);
  const out: Family[] = [];
  for (const family of families) {
    if (wanted.has(family.name)) {
      out.push(family);
      continue;
    }
    const values = family.values.filter((v) => wanted.has(sampleName(family, v)));
    if (values.length) out.push({ ...family, values });
  }
  return out;
}

function sampleName(family: Family, value: MetricValue<string>): string {
  return (value as { metricName?: string }).metricName ?? family.name;
}

function renderTextFamily(family: Family): string {
  const lines = [
    `# HELP ${family.name} ${escapeHelp(family.help)}`,
    `# TYPE ${family.name} ${family.type}`,
  ];
  for (const value of family.values) lines.push(renderSample(sampleName(family, value), value));
  return `${lines.join('\n')}\n`;
}

function renderOpenMetricsFamily(family: Family): string {
  const isCounter = String(family.type) === 'counter';
  const name = isCounter ? family.name.replace(/_total$/, '') : family.name;
  const lines = [
    `# TYPE ${name} ${family.type}`,
    `# HELP ${name} ${escapeHelp(family.help).replace(/"/g, '\\"')}`,
  ];
  for (const value of family.values) {
    lines.push(renderSample(isCounter ? `${name}_total` : sampleName(family, value), value));
  }
  return `${lines.join('\n')}\n`;
}

type LabelSet = Record<string, string | number | undefined>;

// The hot loop of a scrape: one line per sample, escaping only values that need it.
function renderSample(name: string, value: MetricValue<string>): string {
  const own = renderLabels(value.labels as LabelSet | undefined);
  const shared = (value as { sharedLabels?: LabelSet }).sharedLabels;
  const sharedText = shared ? renderSharedLabels(shared) : '';
  const all = own && sharedText ? `${own},${sharedText}` : own || sharedText;
  return `${name}${all ? `{${all}}` : ''} ${formatNumber(value.value)}`;
}

function renderLabels(labels: LabelSet | undefined): string {
  let text = '';
  for (const key in labels) {
    const labelValue = labels[key];
    if (labelValue === undefined) continue;
    text += `${text ? ',' : ''}${key}="${escapeLabelValue(labelValue)}"`;
  }
  return text;
}

const renderedShared = new WeakMap<LabelSet, string>();

// One histogram series shares its label object between all its bucket, sum and count lines.
function renderSharedLabels(labels: LabelSet): string {
  let text = renderedShared.get(labels);
  if (text === undefined) {
    text = renderLabels(labels);
    renderedShared.set(labels, text);
  }
  return text;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

const NEEDS_ESCAPE = /[\\\n"]/;

function escapeLabelValue(value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
