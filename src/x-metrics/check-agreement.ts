import type { BootProblem } from '../errors';
import { toPointer } from '../openapi/json-pointer';
import { problemAt, show, type ProblemOperation, type Tokens } from './problem';
import type { CompiledMetric } from './types';

/** One place that declares a metric. */
export interface Declaration {
  metric: CompiledMetric;
  /** Tokens of the metric entry, e.g. `['x-metrics', 'metrics', 0]`. */
  at: Tokens;
  operation?: ProblemOperation;
}

const FIELDS = [
  'type',
  'help',
  'labelNames',
  'buckets',
  'percentiles',
  'maxAgeSeconds',
  'ageBuckets',
  'maxSeries',
] as const;

/**
 * Checks that every declaration of one metric name agrees with the first, and fills each
 * metric's `declaredAt` with every place that declares its name.
 * @example
 * checkAgreement([first, second]) // [] when both define pet_lookups_total the same way
 */
export function checkAgreement(declarations: readonly Declaration[]): BootProblem[] {
  const problems: BootProblem[] = [];
  const byName = new Map<string, Declaration[]>();
  for (const declaration of declarations) {
    const group = byName.get(declaration.metric.name) ?? [];
    group.push(declaration);
    byName.set(declaration.metric.name, group);
  }
  for (const group of byName.values()) {
    const [first, ...others] = group;
    if (!first) continue;
    const places = group.map((d) => toPointer(d.at));
    for (const declaration of group) declaration.metric.declaredAt = places;
    for (const other of others) {
      const field = FIELDS.find((key) => !isSame(first.metric[key], other.metric[key]));
      if (field) problems.push(explainDisagreement(first, other, field));
    }
  }
  return problems;
}

function explainDisagreement(
  first: Declaration,
  other: Declaration,
  field: (typeof FIELDS)[number],
): BootProblem {
  const key = field === 'labelNames' ? 'labels' : field;
  const what = field === 'labelNames' ? 'label names' : field;
  const text =
    `metric "${other.metric.name}" is already declared at ${toPointer(first.at)} with ${what} ${describe(first.metric[field])}, ` +
    `here ${describe(other.metric[field])}`;
  const hint =
    'one name is one metric: make type, help, label names and buckets agree in both places, or rename one';
  return problemAt(other.at, [key], text, hint, other.operation);
}

function isSame(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
  }
  return a === b;
}

function describe(value: unknown): string {
  return value === undefined ? '(none)' : show(value);
}
