import { checkMetricName } from './check-names';
import { compileLabels, type LabelScope } from './compile-labels';
import { parseValue } from './parse-source';
import { show, type Issue } from './problem';
import type { CompiledMetric, ValueSource, XMetricType } from './types';

/**
 * Compiles one schema-valid metric entry; issue keys are relative to the entry.
 * `declaredAt` is left empty for the caller to fill in.
 * @example
 * compileMetric({ name: 'pet_lookups_total', type: 'counter', help: 'Pet lookups' }, scope).metric?.value
 * // { kind: 'constant', value: 1 }
 */
export function compileMetric(
  entry: Record<string, unknown>,
  scope: Omit<LabelScope, 'type' | 'inProgress' | 'owner'>,
): { metric?: CompiledMetric; issues: Issue[] } {
  const name = String(entry.name);
  const type = entry.type as XMetricType;
  const issues: Issue[] = [];
  const parsed = parseValue(typeof entry.value === 'string' ? entry.value : undefined, type);
  if ('error' in parsed) issues.push({ key: ['value'], text: parsed.error, hint: parsed.hint });
  // With a broken value the other checks still run, without the unit rule that needs the value.
  const value: ValueSource = 'error' in parsed ? { kind: 'constant', value: 1 } : parsed;
  issues.push(...checkMetricName(name, type, value));
  const inProgress = value.kind === 'inProgress';
  // Counters are exposed as `<name>_total` in every format, as PrometheusMetrics.counter does.
  const exposed = type === 'counter' && !name.endsWith('_total') ? `${name}_total` : name;
  const compiled = compileLabels(entry.labels, { ...scope, type, inProgress, owner: exposed });
  issues.push(...compiled.issues.map((issue) => ({ ...issue, key: ['labels', ...issue.key] })));
  for (const key of ['buckets', 'percentiles'] as const) {
    const issue = checkAscending(entry[key], key);
    if (issue) issues.push(issue);
  }
  // Naming advice and stand-ins never stop a metric; only real mistakes do.
  if (issues.some((issue) => !issue.advice && !issue.placeholder)) return { issues };
  const metric: CompiledMetric = {
    name: exposed,
    type,
    help: String(entry.help),
    labelNames: compiled.labels.map((label) => label.name),
    ...pickNumbers(entry),
    labels: compiled.labels,
    value,
    declaredAt: [],
  };
  return { metric, issues };
}

/**
 * An issue when a list of numbers is not strictly ascending.
 * @example
 * checkAscending([1, 0.5], 'buckets')?.text // '"buckets" must be ascending, got [1, 0.5]'
 */
export function checkAscending(list: unknown, key: string): Issue | undefined {
  if (!Array.isArray(list) || !list.every((n) => typeof n === 'number')) return undefined;
  const numbers = list as number[];
  const ascending = numbers.every((n, i) => i === 0 || n > (numbers[i - 1] as number));
  if (ascending) return undefined;
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  return {
    key: [key],
    text: `"${key}" must be ascending, got ${show(numbers)}`,
    hint: `write ${show(sorted)}`,
  };
}

function pickNumbers(entry: Record<string, unknown>): Partial<CompiledMetric> {
  const picked: Partial<CompiledMetric> = {};
  if (Array.isArray(entry.buckets)) picked.buckets = entry.buckets as number[];
  if (Array.isArray(entry.percentiles)) picked.percentiles = entry.percentiles as number[];
  if (typeof entry.maxAgeSeconds === 'number') picked.maxAgeSeconds = entry.maxAgeSeconds;
  if (typeof entry.ageBuckets === 'number') picked.ageBuckets = entry.ageBuckets;
  if (typeof entry.maxSeries === 'number') picked.maxSeries = entry.maxSeries;
  return picked;
}
