import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { BootProblem } from '../errors';
import { findNearMiss } from '../did-you-mean';
import { show, sloProblem, type ProblemOperation, type Tokens } from './problem';

/** Path of the shipped schema file (same relative place from `src/` and from `dist/`). */
export const SLO_SCHEMA_FILE = join(__dirname, '..', '..', 'schema', 'x-slo.schema.json');

/** The three places `x-slo` may appear. */
export type SloLevel = 'document' | 'pathItem' | 'operation';

const KEYS = ['window', 'availability', 'latency'];
const PERCENTAGE = 'a percentage between 0 and 100 (both excluded), e.g. 99.9';

// What each key must be, said once whatever ajv's keyword: one message per value.
const EXPECTED: Record<string, { text: string; hint: string }> = {
  window: {
    text: 'a whole number of hours, days or weeks between 7d and 90d',
    hint: 'e.g. window: 28d (or 4w, 30d, 720h)',
  },
  availability: { text: `${PERCENTAGE}, or false`, hint: 'e.g. availability: 99.9' },
  latency: {
    text: 'a map { threshold, objective }, or false',
    hint: 'e.g. latency: { threshold: 0.3, objective: 99 }',
  },
  threshold: {
    text: 'a number of seconds between 0.001 and 3600',
    hint: 'e.g. threshold: 0.3 (300 ms)',
  },
  objective: { text: PERCENTAGE, hint: 'e.g. objective: 99' },
};

let validators: Record<SloLevel, ValidateFunction> | undefined;

/**
 * Validates one `x-slo` value against its level's definition in schema/x-slo.schema.json and
 * explains each mistake once, with its pointer and a fix.
 * @example
 * checkSloSchema('operation', { availability: 100 }, ['paths', '/pets', 'get', 'x-slo'])
 * // [{ pointer: '#/paths/~1pets/get/x-slo/availability', message: 'x-slo at …: "availability" must be …' }]
 */
export function checkSloSchema(
  level: SloLevel,
  value: unknown,
  at: Tokens,
  operation?: ProblemOperation,
): BootProblem[] {
  const validate = getValidators()[level];
  if (validate(value)) return [];
  if (level === 'document' && value === false) {
    const hint = 'remove x-slo from the document: false is for path items and operations';
    return [sloProblem(at, [], 'x-slo: false turns nothing off at document level', hint)];
  }
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf');
  // A `const: false` branch only says "or false": the other branch's errors, at the same value
  // or inside it, say more.
  const paths = errors.filter((e) => e.keyword !== 'const').map((e) => e.instancePath);
  const explained = (path: string) => paths.some((p) => p === path || p.startsWith(`${path}/`));
  const problems = errors
    .filter((e) => e.keyword !== 'const' || !explained(e.instancePath))
    .map((error) => explain(error, at, operation));
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.pointer ?? '') && Boolean(seen.add(p.pointer ?? '')));
}

function explain(error: ErrorObject, at: Tokens, operation?: ProblemOperation): BootProblem {
  const inner = error.instancePath.split('/').slice(1).map(decodeToken);
  const params = error.params as Record<string, unknown>;
  const where = [...at, ...inner.slice(0, -1)];
  const name = inner[inner.length - 1];
  if (error.keyword === 'additionalProperties') {
    const key = String(params.additionalProperty);
    const allowed = name === 'latency' ? ['threshold', 'objective'] : KEYS;
    const close = findNearMiss(key, allowed);
    const hint = close ? `did you mean "${close}"?` : `allowed keys: ${allowed.join(', ')}`;
    return sloProblem([...at, ...inner], [key], `unknown key "${key}"`, hint, operation);
  }
  if (error.keyword === 'required') {
    const key = String(params.missingProperty);
    const text = `"latency" needs "${key}"`;
    const hint = `add ${key}: ${EXPECTED[key]?.hint.replace(/^e\.g\. \w+: /, 'e.g. ') ?? ''}`;
    return sloProblem([...at, ...inner], [key], text, hint, operation);
  }
  if (name === undefined) {
    const text = `x-slo must be a map of ${KEYS.join(', ')}${at.length > 1 ? ', or false' : ''}, got ${show(error.data)}`;
    return sloProblem(at, [], text, 'e.g. x-slo: { availability: 99.9 }', operation);
  }
  const expected = EXPECTED[name] ?? { text: 'valid', hint: 'see schema/x-slo.schema.json' };
  const text = `"${name}" must be ${expected.text}, got ${show(error.data)}`;
  return sloProblem(where, [name], text, expected.hint, operation);
}

function getValidators(): Record<SloLevel, ValidateFunction> {
  if (validators) return validators;
  // Loaded on first use, like the x-metrics schema: PrometheusMetrics alone never pays for ajv.
  const AjvClass = (require('ajv') as { default: typeof Ajv }).default;
  const ajv = new AjvClass({ allErrors: true, verbose: true, strict: true });
  const schema = JSON.parse(readFileSync(SLO_SCHEMA_FILE, 'utf8')) as { $id: string };
  ajv.addSchema(schema);
  const get = (definition: string): ValidateFunction => {
    const validate = ajv.getSchema(`${schema.$id}#/definitions/${definition}`);
    if (!validate) throw new Error(`x-slo schema has no definition ${definition}`);
    return validate;
  };
  validators = {
    document: get('documentLevel'),
    pathItem: get('pathItemLevel'),
    operation: get('operationLevel'),
  };
  return validators;
}

function decodeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}
