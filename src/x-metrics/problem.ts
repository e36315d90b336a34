import { measureDistance } from '../did-you-mean';
import type { BootProblem } from '../errors';
import { toPointer } from '../openapi/json-pointer';

/** JSON pointer tokens, e.g. `['paths', '/pets', 'get', 'x-metrics']`. */
export type Tokens = readonly (string | number)[];

/** The operation a problem belongs to, when it belongs to one. */
export interface ProblemOperation {
  operationId?: string;
  method: string;
  path: string;
}

/**
 * A problem in the object at `at`, about its child `key` (pointer = `at` + `key`).
 * The message reads `x-metrics at <at>: <text>`.
 * @example
 * problemAt(['x-metrics', 'metrics', 0], ['buckets'], '"buckets" must be ascending, got [1, 0.5]')
 */
export function problemAt(
  at: Tokens,
  key: Tokens,
  text: string,
  hint?: string,
  operation?: ProblemOperation,
): BootProblem {
  return extensionProblem('x-metrics', at, key, text, hint, operation);
}

/**
 * A problem in a vendor extension's value at `at` (`x-metrics`, `x-slo`), about its child `key`.
 * The message reads `<extension> at <at>: <text>`.
 * @example
 * extensionProblem('x-slo', ['x-slo'], ['window'], '"window" must be between 7d and 90d, got "1d"')
 */
export function extensionProblem(
  extension: string,
  at: Tokens,
  key: Tokens,
  text: string,
  hint?: string,
  operation?: ProblemOperation,
): BootProblem {
  return {
    message: `${extension} at ${toPointer(at)}: ${text}`,
    pointer: toPointer([...at, ...key]),
    ...(operation?.operationId ? { operationId: operation.operationId } : {}),
    ...(operation ? { method: operation.method.toUpperCase(), path: operation.path } : {}),
    ...(hint ? { hint } : {}),
  };
}

/** Renders a value for a message: strings quoted, arrays as `[1, 0.5]`. */
export function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}

/**
 * The closest candidate to `word` (edit distance ≤ 2), for "did you mean".
 * @example
 * suggest('bucket', ['buckets', 'help']) // 'buckets'
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = measureDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** A problem found inside a value, before it is placed: `key` is relative to that value. */
export interface Issue {
  key: Tokens;
  text: string;
  hint?: string;
  /** Naming advice (promtool's lint), reported as a warning: it never fails a boot. */
  advice?: true;
  /** Served anyway with a stand-in value (mock mode): a boot warning, never a failure. */
  placeholder?: true;
  /**
   * A label taken raw from what the client sends: a warning (with `advice`), an error under
   * `lint --strict`.
   */
  unbounded?: true;
}
