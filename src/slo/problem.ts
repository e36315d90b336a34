import type { BootProblem } from '../errors';
import { extensionProblem, type ProblemOperation, type Tokens } from '../x-metrics/problem';

export type { ProblemOperation, Tokens };
export { toPointer } from '../openapi/json-pointer';

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
  return extensionProblem('x-slo', at, key, text, hint, operation);
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
