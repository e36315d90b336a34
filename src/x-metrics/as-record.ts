/**
 * The value as a plain object, or undefined when it is not one.
 * @example
 * asRecord(['a']) // undefined
 */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
