import type { Issue } from './problem';
import type { ValueSource, XMetricType } from './types';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const CAMEL = /[a-z][A-Z]/;
const SAMPLE_SUFFIXES = ['_bucket', '_count', '_sum', '_created'];
const ABBREVIATIONS = [
  's',
  'ms',
  'us',
  'ns',
  'sec',
  'b',
  'kb',
  'mb',
  'gb',
  'tb',
  'pb',
  'm',
  'h',
  'd',
];
const NON_BASE: Record<string, string> = {
  minutes: 'seconds',
  hours: 'seconds',
  days: 'seconds',
  weeks: 'seconds',
};
const BASE_UNITS = ['seconds', 'bytes', 'grams', 'meters', 'metres', 'volts', 'amperes', 'joules'];
const SI_PREFIXES = [
  'pico',
  'nano',
  'micro',
  'milli',
  'centi',
  'deci',
  'kilo',
  'mega',
  'giga',
  'tera',
  'peta',
];

/**
 * Checks a metric name against the Prometheus rule (an error) and the promtool (promlint)
 * naming advice (issues flagged `advice`: warnings that `lint` prints and boots ignore).
 * @example
 * checkMetricName('petLookups', 'counter', { kind: 'constant', value: 1 }) // two advice issues
 */
export function checkMetricName(name: string, type: XMetricType, value: ValueSource): Issue[] {
  const at = (text: string, hint: string): Issue => ({ key: ['name'], text, hint, advice: true });
  if (!METRIC_NAME.test(name)) {
    return [
      {
        key: ['name'],
        text: `"name" must match [a-zA-Z_:][a-zA-Z0-9_:]*, got "${name}"`,
        hint: `use underscores, e.g. "${sanitize(name)}"`,
      },
    ];
  }
  const issues: Issue[] = [];
  if (name.includes(':'))
    issues.push(
      at(
        `"name" should not contain ":", got "${name}"`,
        `colons are reserved for recording rules; use "${name.replace(/:/g, '_')}"`,
      ),
    );
  if (CAMEL.test(name))
    issues.push(at(`"name" should be snake_case, got "${name}"`, `use "${toSnakeCase(name)}"`));
  const total = name.endsWith('_total');
  if (type === 'counter' && !total)
    issues.push(
      at(
        `counter names should end in "_total", got "${name}" (exposed as "${name}_total")`,
        `rename it "${name}_total"`,
      ),
    );
  if (type !== 'counter' && total)
    issues.push(
      at(
        `only counter names should end in "_total", got "${name}"`,
        `rename it "${name.slice(0, -6)}" or make it a counter`,
      ),
    );
  const suffix = SAMPLE_SUFFIXES.find((end) => name.endsWith(end));
  if (suffix)
    issues.push(
      at(
        `"name" should not end in "${suffix}", got "${name}"`,
        `histograms and summaries add "${suffix}" to their series; rename it`,
      ),
    );
  const tokens = name.toLowerCase().split('_');
  if (tokens.slice(1).includes(type))
    issues.push(
      at(
        `"name" should not include its type "${type}", got "${name}"`,
        'the type is in the exposition already; drop it from the name',
      ),
    );
  issues.push(...checkUnits(tokens, name, at));
  const unit = unitOf(value);
  const stem = total ? name.slice(0, -6) : name;
  if (unit && !stem.endsWith(`_${unit}`)) {
    const fixed = `${stem}_${unit}${type === 'counter' ? '_total' : ''}`;
    issues.push(
      at(
        `"name" should end in "_${unit}${type === 'counter' ? '_total' : ''}" because the metric records ${describeUnit(value)}, got "${name}"`,
        `rename it "${fixed}"`,
      ),
    );
  }
  return issues;
}

function checkUnits(
  tokens: string[],
  name: string,
  at: (text: string, hint: string) => Issue,
): Issue[] {
  const issues: Issue[] = [];
  const abbreviation = tokens.slice(1).find((token) => ABBREVIATIONS.includes(token));
  if (abbreviation)
    issues.push(
      at(
        `"name" should spell out its unit, got "_${abbreviation}" in "${name}"`,
        'use base units in full: _seconds, _bytes',
      ),
    );
  for (const token of tokens) {
    const prefix = SI_PREFIXES.find(
      (p) => token.startsWith(p) && BASE_UNITS.includes(token.slice(p.length)),
    );
    const base = NON_BASE[token] ?? (prefix ? token.slice(prefix.length) : undefined);
    if (base)
      issues.push(
        at(
          `"name" should use the base unit "${base}", got "${token}" in "${name}"`,
          `record ${base} and rename it "${name.replace(token, base)}"`,
        ),
      );
  }
  return issues;
}

function unitOf(value: ValueSource): 'seconds' | 'bytes' | undefined {
  if (value.kind === 'duration') return 'seconds';
  if (value.kind === 'requestSize' || value.kind === 'responseSize') return 'bytes';
  return undefined;
}

function describeUnit(value: ValueSource): string {
  return value.kind === 'duration'
    ? 'durations (the default for histograms and summaries)'
    : 'sizes in bytes';
}

/**
 * Checks a label name: Prometheus rules, `__` reserved, `le` and `quantile` reserved (promtool
 * flags them on every type), snake_case.
 * @example
 * checkLabelName('le', 'histogram') // [{ text: 'label name "le" is reserved …' }]
 */
export function checkLabelName(label: string, type: XMetricType): Omit<Issue, 'key'> | undefined {
  if (!LABEL_NAME.test(label))
    return {
      text: `label name "${label}" must match [a-zA-Z_][a-zA-Z0-9_]*`,
      hint: `use "${sanitize(label).replace(/:/g, '_')}"`,
    };
  if (label.startsWith('__'))
    return {
      text: `label name "${label}" starts with "__", which Prometheus reserves`,
      hint: `use "${label.replace(/^_+/, '')}"`,
    };
  if (label === 'le')
    return {
      text: `label name "le" is reserved for histogram bucket bounds${type === 'histogram' ? '' : ' (promtool flags it on every type)'}`,
      hint: 'rename it, e.g. "limit"',
    };
  if (label === 'quantile')
    return {
      text: `label name "quantile" is reserved for summary quantiles${type === 'summary' ? '' : ' (promtool flags it on every type)'}`,
      hint: 'rename it, e.g. "percentile_group"',
    };
  if (CAMEL.test(label))
    return {
      text: `label name "${label}" should be snake_case`,
      hint: `use "${toSnakeCase(label)}"`,
      advice: true,
    };
  return undefined;
}

function sanitize(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

function toSnakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
