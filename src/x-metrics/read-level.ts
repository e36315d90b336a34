import type { BootProblem } from '../errors';
import { checkSchema } from './check-schema';
import { asRecord } from './list-operations';
import type { XMetricsLevel } from './load-schema';
import type { ProblemOperation, Tokens } from './problem';

/** One `x-metrics` value after the schema check. */
export interface Level {
  kind: XMetricsLevel;
  /** Tokens of the `x-metrics` value. */
  at: Tokens;
  /** The value, when it is an object. */
  record?: Record<string, unknown>;
  /** The metric entries without schema problems, with their tokens. */
  entries: Array<{ entry: Record<string, unknown>; at: Tokens }>;
  operation?: ProblemOperation;
}

/**
 * Schema-checks one `x-metrics` value (problems go to `problems`) and keeps what can be read.
 * @example
 * readLevel('document', document['x-metrics'], ['x-metrics'], problems).entries.length
 */
export function readLevel(
  kind: XMetricsLevel,
  value: unknown,
  at: Tokens,
  problems: BootProblem[],
  operation?: ProblemOperation,
): Level {
  const check = checkSchema(kind, value, at, operation);
  problems.push(...check.problems);
  const record = asRecord(value);
  const metrics: unknown[] = Array.isArray(record?.metrics) ? record.metrics : [];
  const entries = metrics.flatMap((raw, index) => {
    const entry = asRecord(raw);
    return entry && !check.brokenMetrics.has(index)
      ? [{ entry, at: [...at, 'metrics', index] }]
      : [];
  });
  return {
    kind,
    at,
    ...(record ? { record } : {}),
    entries,
    ...(operation ? { operation } : {}),
  };
}
