// The pieces of a sample line, written exactly as prom-client's own text renderer writes them
// (label order, escaping, numbers), so that a scrape is the same whichever renders it.

/** Label values as prom-client keeps them. */
export type LabelSet = Readonly<Record<string, string | number | undefined>>;

/** An exemplar as it is rendered (OpenMetrics only). */
export interface ExemplarLike {
  labelSet: LabelSet;
  value: number | null;
  timestamp?: number;
}

/**
 * A sample value. prom-client writes NaN as `Nan`; this writes `NaN`, as the exposition formats
 * and Prometheus' own clients do (the only difference from prom-client's output).
 */
export function formatNumber(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  return `${value}`;
}

/** `# HELP` text: backslashes and line feeds escaped. */
export function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

const NEEDS_ESCAPE = /[\\\n"]/;

function escapeLabelValue(value: string | number | undefined): string {
  if (typeof value !== 'string') return `${value}`;
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** `a="1",b="2"` for the labels in their order, leaving out the names `except` has. */
export function formatPairs(labels: LabelSet, except?: LabelSet): string {
  let text = '';
  for (const name in labels) {
    if (except && Object.prototype.hasOwnProperty.call(except, name)) continue;
    text += `${text ? ',' : ''}${name}="${escapeLabelValue(labels[name])}"`;
  }
  return text;
}

const formatted = new WeakMap<object, string>();

/**
 * `formatPairs(labels)`, once per label object: a series keeps its label object for its whole
 * life, so a scrape formats each series' labels once (prom-client does the same for histograms).
 */
export function formatSeriesLabels(labels: LabelSet): string {
  let text = formatted.get(labels);
  if (text === undefined) {
    text = formatPairs(labels);
    formatted.set(labels, text);
  }
  return text;
}

/** Joins label texts, skipping empty ones, and wraps them in braces (nothing when empty). */
export function braces(...parts: string[]): string {
  let text = '';
  for (const part of parts) if (part) text += text ? `,${part}` : part;
  return text ? `{${text}}` : '';
}

/** ` # {trace_id="…"} 0.12 1700000000.123`: an exemplar after an OpenMetrics sample. */
export function formatExemplar(exemplar: ExemplarLike | null | undefined): string {
  if (!exemplar || exemplar.value === null || typeof exemplar.value !== 'number') return '';
  const time = exemplar.timestamp === undefined ? '' : ` ${exemplar.timestamp}`;
  return ` # {${formatPairs(exemplar.labelSet)}} ${formatNumber(exemplar.value)}${time}`;
}

/** Whether no label of `labels` is set. */
export function isEmpty(labels: LabelSet): boolean {
  for (const _name in labels) return false;
  return true;
}
