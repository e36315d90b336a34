import type {
  BucketSeries,
  MetricFamily,
  SeriesFamily,
  ValueSeries,
} from '../adapters/prom-client';
import {
  braces,
  escapeHelp,
  formatExemplar,
  formatNumber,
  formatPairs,
  formatSeriesLabels,
  isEmpty,
  type ExemplarLike,
  type LabelSet,
} from './exposition-text';
import { exemplarsOf, seriesKey } from './exemplar-store';

/** How one scrape is rendered. */
export interface RenderSettings {
  openMetrics: boolean;
  /** The registry's default labels (`setDefaultLabels`), merged as prom-client merges them. */
  defaultLabels: LabelSet;
  /** Only these families or sample names; undefined = everything. */
  names?: ReadonlySet<string>;
}

/**
 * Renders metric families as Prometheus text (byte for byte what prom-client's
 * `registry.metrics()` writes, NaN aside) or OpenMetrics (ending in `# EOF`, exemplars kept).
 * The hot loop: one string per sample line, each series' labels formatted once per scrape.
 * @example
 * renderSeriesFamilies(families, { openMetrics: false, defaultLabels: {} })
 */
export function renderSeriesFamilies(
  families: readonly SeriesFamily[],
  settings: RenderSettings,
): string {
  // One array of lines, joined once: no string of strings per line for the GC to walk.
  const lines: string[] = [];
  for (const family of families) {
    const start = lines.length;
    // prom-client separates families with an empty line, which OpenMetrics forbids.
    if (start && !settings.openMetrics) lines.push('');
    const rendered =
      family.type === 'histogram'
        ? renderHistogram(family, settings, lines)
        : family.type === 'family'
          ? renderFamily(family.family, settings, lines)
          : renderValues(family, settings, lines);
    if (!rendered) lines.length = start;
  }
  if (settings.openMetrics) lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

function header(
  lines: string[],
  name: string,
  type: string,
  help: string,
  openMetrics: boolean,
): void {
  if (!openMetrics) lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
  else
    lines.push(`# TYPE ${name} ${type}`, `# HELP ${name} ${escapeHelp(help).replace(/"/g, '\\"')}`);
}

// OpenMetrics names a counter family without `_total` and each of its samples with it.
function namesOf(name: string, type: string, openMetrics: boolean) {
  if (!openMetrics || type !== 'counter') return { family: name, sample: name };
  const family = name.replace(/_total$/, '');
  return { family, sample: `${family}_total` };
}

// The labels of a counter or gauge sample: its own, then the default labels it lacks.
function valueLabels(labels: LabelSet, defaults: LabelSet | undefined): string {
  const own = formatSeriesLabels(labels);
  return defaults ? braces(own, formatPairs(defaults, labels)) : braces(own);
}

function renderValues(
  family: { type: string; name: string; help: string; series: ValueSeries[]; source: object },
  { openMetrics, defaultLabels, names }: RenderSettings,
  lines: string[],
): boolean {
  const { family: familyName, sample } = namesOf(family.name, family.type, openMetrics);
  if (names && !names.has(family.name) && !names.has(sample)) return false;
  const defaults = isEmpty(defaultLabels) ? undefined : defaultLabels;
  header(lines, familyName, family.type, family.help, openMetrics);
  // Exemplars recorded by spectrometer win over those set through prom-client.
  const kept = openMetrics ? exemplarsOf(family.source) : undefined;
  for (const series of family.series) {
    const line = `${sample}${valueLabels(series.labels, defaults)} ${formatNumber(series.value)}`;
    if (!openMetrics) {
      lines.push(line);
      continue;
    }
    const own = kept?.get(seriesKey(series.labels));
    lines.push(line + formatExemplar((own ?? series.exemplar) as ExemplarLike));
  }
  return true;
}

function renderHistogram(
  family: {
    name: string;
    help: string;
    bucketBounds: readonly number[];
    series: BucketSeries[];
    source: object;
  },
  { openMetrics, defaultLabels, names }: RenderSettings,
  lines: string[],
): boolean {
  const { name, bucketBounds } = family;
  const all = !names || names.has(name);
  const [bucket, sum, count] = ['_bucket', '_sum', '_count'].map(
    (suffix) => all || names?.has(`${name}${suffix}`) === true,
  );
  if (!bucket && !sum && !count) return false;
  const defaults = isEmpty(defaultLabels) ? undefined : defaultLabels;
  const bucketName = `${name}_bucket`;
  const bounds = bucketBounds.map((bound) => `${bucketName}{le="${bound}"`);
  // bucketValues is keyed by the bounds as strings: convert them once, not once per line.
  const keys = bucketBounds.map(String);
  const infinite = `${bucketName}{le="+Inf"`;
  header(lines, name, 'histogram', family.help, openMetrics);
  const kept = openMetrics ? exemplarsOf(family.source) : undefined;
  for (const series of family.series) {
    // Bucket lines: `le`, then the default labels the series lacks, then the series' labels.
    const own = formatSeriesLabels(series.labels);
    const rest = defaults ? joinLabels(formatPairs(defaults, series.labels), own) : own;
    if (bucket) {
      const close = rest ? `,${rest}} ` : '} ';
      const own = kept?.get(seriesKey(series.labels));
      const exemplars = openMetrics
        ? own instanceof Map
          ? mergeExemplars(own, series.bucketExemplars)
          : series.bucketExemplars
        : undefined;
      let cumulative = 0;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        cumulative += series.bucketValues[key] as number;
        const line = `${bounds[i]}${close}${formatNumber(cumulative)}`;
        lines.push(exemplars ? line + formatExemplar(exemplars[key] as ExemplarLike) : line);
      }
      const line = `${infinite}${close}${formatNumber(series.count)}`;
      lines.push(exemplars ? line + formatExemplar(exemplars['-1'] as ExemplarLike) : line);
    }
    const labels = rest ? `{${rest}} ` : ' ';
    if (sum) lines.push(`${name}_sum${labels}${formatNumber(series.sum)}`);
    if (count) lines.push(`${name}_count${labels}${formatNumber(series.count)}`);
  }
  return true;
}

// Per bucket key: the exemplar spectrometer kept, else the one prom-client kept.
function mergeExemplars(
  own: Map<string, ExemplarLike>,
  theirs: BucketSeries['bucketExemplars'],
): Record<string, ExemplarLike | null | undefined> {
  const merged: Record<string, ExemplarLike | null | undefined> = { ...theirs };
  for (const [key, exemplar] of own) merged[key] = exemplar;
  return merged;
}

function joinLabels(first: string, second: string): string {
  return first && second ? `${first},${second}` : first || second;
}

type FamilyValue = MetricFamily['values'][number] & {
  metricName?: string;
  sharedLabels?: LabelSet;
  exemplar?: ExemplarLike | null;
};

/** Summaries, other classes and cluster aggregates: the values as prom-client's get() gives them. */
function renderFamily(family: MetricFamily, settings: RenderSettings, lines: string[]): boolean {
  const { openMetrics, defaultLabels, names } = settings;
  const type = String(family.type);
  const { family: familyName, sample } = namesOf(family.name, type, openMetrics);
  let values = family.values as FamilyValue[];
  if (names && !names.has(family.name)) {
    values = values.filter((value) => names.has(value.metricName ?? family.name));
    if (!values.length) return false;
  }
  const defaults = isEmpty(defaultLabels) ? undefined : defaultLabels;
  header(lines, familyName, type, family.help, openMetrics);
  for (const value of values) {
    const own = (value.labels ?? {}) as LabelSet;
    const merged = defaults ? { ...own, ...defaults, ...own } : own;
    const shared =
      value.sharedLabels && !isEmpty(value.sharedLabels) ? value.sharedLabels : undefined;
    const labels = braces(formatPairs(merged, shared), shared ? formatSeriesLabels(shared) : '');
    const name = type === 'counter' && openMetrics ? sample : (value.metricName ?? family.name);
    const line = `${name}${labels} ${formatNumber(value.value)}`;
    lines.push(openMetrics ? line + formatExemplar(value.exemplar) : line);
  }
  return true;
}
