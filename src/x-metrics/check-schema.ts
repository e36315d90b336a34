import type { BootProblem } from '../errors';
import { explainSchemaError } from './explain-schema-error';
import { getLevelValidator, type XMetricsLevel } from './load-schema';
import type { ProblemOperation, Tokens } from './problem';

/** What the JSON Schema says about one `x-metrics` value. */
export interface SchemaCheck {
  problems: BootProblem[];
  /** Indexes into `metrics` of entries whose name, type or help is broken (not compiled). */
  brokenMetrics: Set<number>;
}

/**
 * Validates one `x-metrics` value against its level's definition in the shipped JSON Schema.
 * @example
 * checkSchema('operation', { track: 'no' }, ['paths', '/pets', 'get', 'x-metrics']).problems
 */
export function checkSchema(
  level: XMetricsLevel,
  value: unknown,
  base: Tokens,
  operation?: ProblemOperation,
): SchemaCheck {
  const validate = getLevelValidator(level);
  const check: SchemaCheck = { problems: [], brokenMetrics: new Set() };
  if (validate(value)) return check;
  for (const error of validate.errors ?? []) {
    const problem = explainSchemaError(error, base, value, operation);
    if (!problem) continue;
    check.problems.push(problem);
    const [first, index, key] = error.instancePath.split('/').slice(1);
    // Only a broken name, type or help stops the cross-checks from reading the entry.
    const identity = key === undefined || key === 'name' || key === 'type' || key === 'help';
    if (first === 'metrics' && index !== undefined && identity)
      check.brokenMetrics.add(Number(index));
  }
  return check;
}
