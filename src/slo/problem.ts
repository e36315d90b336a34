import type { BootProblem } from '../errors';

/** JSON pointer tokens, e.g. `['paths', '/pets', 'get', 'x-slo']`. */
export type Tokens = readonly (string | number)[];

/** The operation a problem belongs to, when it belongs to one. */
export interface ProblemOperation {
  operationId?: string;
  method: string;
  path: string;
}

/**
 * A `#/a/b` pointer from raw tokens (`/` → `~1`, `~` → `~0`).
 * @example
 * toPointer(['paths', '/pets', 'get']) // '#/paths/~1pets/get'
 */
export function toPointer(tokens: Tokens): string {
  const escape = (token: string | number) => String(token).replace(/~/g, '~0').replace(/\//g, '~1');
  return `#${tokens.map((token) => `/${escape(token)}`).join('')}`;
}

/**
 * A problem in the `x-slo` value at `at`, about its child `key` (pointer = `at` + `key`).
 * The message reads `x-slo at <at>: <text>`, like x-metrics problems.
 * @example
 * sloProblem(['x-slo'], ['window'], '"window" must be between 7d and 90d, got "1d"', 'use e.g. window: 28d')
 */
export function sloProblem(
  at: Tokens,
  key: Tokens,
  text: string,
  hint?: string,
  operation?: ProblemOperation,
): BootProblem {
  return {
    message: `x-slo at ${toPointer(at)}: ${text}`,
    pointer: toPointer([...at, ...key]),
    ...(operation?.operationId ? { operationId: operation.operationId } : {}),
    ...(operation ? { method: operation.method.toUpperCase(), path: operation.path } : {}),
    ...(hint ? { hint } : {}),
  };
}

/** The value as a plain object, or undefined when it is not one. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Renders a value for a message: strings quoted, nothing as `nothing`. */
export function show(value: unknown): string {
  return value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
}
