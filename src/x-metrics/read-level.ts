import type { BootProblem } from '../errors';
import { checkSchema } from './check-schema';
import { asRecord } from './as-record';
import type { XMetricsOperation } from './operation-view';
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

/** Every `x-metrics` value of a document, schema-checked. */
export interface Levels {
  document?: Level;
  /** Keyed by path template. */
  pathItems: Map<string, Level>;
  /** Keyed by operationId. */
  operations: Map<string, Level>;
}

/**
 * Reads the `x-metrics` values at all three levels (problems go to `problems`).
 * @example
 * readLevels(document, viewOperations(document), problems).operations.get('getPet')
 */
export function readLevels(
  document: unknown,
  operations: readonly XMetricsOperation[],
  problems: BootProblem[],
): Levels {
  const root = asRecord(document)?.['x-metrics'];
  const levels: Levels = { pathItems: new Map(), operations: new Map() };
  if (root !== undefined) levels.document = readLevel('document', root, ['x-metrics'], problems);
  for (const op of operations) {
    if (op.pathItemXMetrics !== undefined && !levels.pathItems.has(op.path)) {
      const at = ['paths', op.path, 'x-metrics'];
      levels.pathItems.set(op.path, readLevel('pathItem', op.pathItemXMetrics, at, problems));
    }
    if (op.xMetrics !== undefined) {
      const at = [...op.tokens, 'x-metrics'];
      levels.operations.set(
        op.operationId,
        readLevel('operation', op.xMetrics, at, problems, describeOperation(op)),
      );
    }
  }
  return levels;
}

/**
 * The operation as problems name it.
 * @example
 * describeOperation(op) // { operationId: 'getPet', method: 'get', path: '/pets/{petId}' }
 */
export function describeOperation(op: XMetricsOperation): ProblemOperation {
  return {
    operationId: op.operationId,
    method: op.method,
    path: op.path,
  };
}
