import type { ErrorObject } from 'ajv';
import type { BootProblem } from '../errors';
import { unescapePointerToken } from '../openapi/json-pointer';
import { problemAt, show, suggest, type ProblemOperation, type Tokens } from './problem';

const DOCUMENT_ONLY = [
  'prefix',
  'groupBy',
  'buckets',
  'latency',
  'defaultLabels',
  'excludedPaths',
  'excludeUserDefaults',
];

const REQUIRED_HINTS: Record<string, string> = {
  name: 'a Prometheus metric name, e.g. "orders_created_total"',
  type: 'one of counter, gauge, histogram, summary',
  help: 'one sentence saying what the metric measures',
};

const TYPE_ONLY_HINTS: Record<string, string> = {
  buckets: 'buckets are for histograms: remove them or use type: histogram',
  percentiles: 'percentiles are for summaries: remove them or use type: summary',
  maxAgeSeconds: 'maxAgeSeconds is for summaries: remove it or use type: summary',
  ageBuckets: 'ageBuckets is for summaries: remove it or use type: summary',
};

const REFERENCE = 'see schema/x-metrics.schema.json or the x-metrics reference in the README';

const TYPE_HINTS: Record<string, string> = {
  'x-metrics': 'x-metrics is a map, e.g. x-metrics: { track: false }',
  metrics: 'metrics is a list of { name, type, help, … } entries',
  track: 'use true or false',
  exclude: 'use true or false',
  excludeUserDefaults: 'use true or false',
};

/**
 * Turns one ajv error on the `x-metrics` value at `base` into a problem, or undefined for the
 * errors the cross-checks report better themselves (labels, metric names) and ajv's noise.
 * @example
 * explainSchemaError(error, ['x-metrics'], document['x-metrics'])
 */
export function explainSchemaError(
  error: ErrorObject,
  base: Tokens,
  value: unknown,
  operation?: ProblemOperation,
): BootProblem | undefined {
  const inner = error.instancePath.split('/').slice(1).map(unescapePointerToken);
  if (isLeftToCrossChecks(error, inner)) return undefined;
  const full = [...base, ...inner];
  const at = full.slice(0, -1);
  const key = full.slice(-1);
  const name = nameOf(full);
  const problem = (where: Tokens, what: Tokens, text: string, hint?: string) =>
    problemAt(where, what, text, hint, operation);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const unknownKey = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      return problem(
        full,
        [unknownKey],
        `unknown key "${unknownKey}"`,
        hintUnknownKey(unknownKey, allowed),
      );
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const hint = REQUIRED_HINTS[missing];
      return problem(
        full,
        [missing],
        `"${missing}" is required`,
        hint && `add ${missing}: ${hint}`,
      );
    }
    case 'false schema': {
      const type = readAt(value, inner.slice(0, -1), 'type');
      return problem(
        at,
        key,
        `"${name}" does not apply to a ${String(type)}`,
        TYPE_ONLY_HINTS[name],
      );
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const close = typeof error.data === 'string' ? suggest(error.data, allowed) : undefined;
      const text = `"${name}" must be one of ${allowed.join(', ')}, got ${show(error.data)}`;
      return problem(at, key, text, close && `did you mean "${close}"?`);
    }
    case 'type':
      return problem(
        at,
        key,
        `"${name}" must be ${withArticle(String(params.type))}, got ${show(error.data)}`,
        TYPE_HINTS[name] ?? REFERENCE,
      );
    case 'minItems':
    case 'minLength':
      return problem(
        at,
        key,
        `"${name}" must not be empty`,
        `give at least one ${error.keyword === 'minItems' ? 'entry' : 'character'}, or remove "${name}"`,
      );
    case 'uniqueItems':
      return problem(
        at,
        key,
        `"${name}" must not repeat a value, got ${show(error.data)}`,
        'remove the repeated value',
      );
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minimum':
    case 'maximum':
      return problem(
        at,
        key,
        `"${name}" must be ${describeLimit(error.keyword)} ${String(params.limit)}, got ${show(error.data)}`,
        `use a number ${describeLimit(error.keyword)} ${String(params.limit)}`,
      );
    case 'pattern':
      return problem(
        at,
        key,
        `"${name}" must be a Prometheus name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*) or "", got ${show(error.data)}`,
        'use letters, digits and underscores, e.g. "pet_store"',
      );
    case 'anyOf':
      return problem(
        at,
        key,
        `"${name}" must be a regular expression or a list of them, got ${show(error.data)}`,
        `e.g. ${name}: ['^/internal', '^/health']`,
      );
    default:
      return problem(at, key, `"${name}" ${error.message ?? 'is invalid'}`, REFERENCE);
  }
}

// Label maps and metric names get dedicated messages from the cross-checks; `if` and the
// branches of `anyOf` only repeat what another error says.
function isLeftToCrossChecks(error: ErrorObject, inner: string[]): boolean {
  if (error.keyword === 'if' || error.schemaPath.includes('/anyOf/')) return true;
  if (inner.some((token) => token === 'labels' || token === 'defaultLabels')) return true;
  return (
    inner.length === 3 &&
    inner[0] === 'metrics' &&
    inner[2] === 'name' &&
    error.keyword === 'pattern'
  );
}

function hintUnknownKey(key: string, allowed: string[]): string {
  if (DOCUMENT_ONLY.includes(key) && !allowed.includes(key)) {
    return `"${key}" is only allowed in the document-level x-metrics`;
  }
  if ((key === 'track' || key === 'exclude') && allowed.includes('prefix')) {
    return `"${key}" is only allowed on path items and operations`;
  }
  const close = suggest(key, allowed);
  return close ? `did you mean "${close}"?` : `allowed keys: ${allowed.join(', ')}`;
}

// `buckets/1` reads as `buckets[1]`; the x-metrics root reads as `x-metrics`.
function nameOf(tokens: Tokens): string {
  const last = String(tokens[tokens.length - 1]);
  const previous = tokens[tokens.length - 2];
  return /^\d+$/.test(last) && previous !== undefined ? `${String(previous)}[${last}]` : last;
}

function readAt(value: unknown, tokens: string[], key: string): unknown {
  let node = value;
  for (const token of [...tokens, key])
    node = (node as Record<string, unknown> | undefined)?.[token];
  return node;
}

function withArticle(type: string): string {
  if (type === 'object') return 'an object';
  if (type === 'array') return 'a list';
  if (type === 'integer') return 'an integer';
  return `a ${type}`;
}

function describeLimit(keyword: string): string {
  return (
    { exclusiveMinimum: 'greater than', exclusiveMaximum: 'less than', minimum: 'at least' }[
      keyword
    ] ?? 'at most'
  );
}
