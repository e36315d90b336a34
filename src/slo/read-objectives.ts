import { HTTP_METHODS } from '../openapi/operation';
import { asRecord, type ProblemOperation, type Tokens } from './problem';

/** One `x-slo` value as written: `false`, or its map. */
export interface SloLevelValue {
  at: Tokens;
  /** The value as written. */
  raw: unknown;
  /** `x-slo: false` */
  off: boolean;
  record?: Record<string, unknown>;
}

/** An operation with the `x-slo` of its three levels, nearest last. */
export interface SloOperation extends ProblemOperation {
  method: string;
  path: string;
  /** Tokens of the operation, e.g. `['paths', '/pets', 'get']`. */
  tokens: Tokens;
  operationId?: string;
  pathItem?: SloLevelValue;
  own?: SloLevelValue;
}

/** Where one key's value came from. */
export interface Resolved<T> {
  value: T;
  at: Tokens;
  level: 'document' | 'pathItem' | 'operation';
}

/**
 * The operations of a dereferenced document with their path item's and their own `x-slo`.
 * @example
 * listSloOperations(document)[0] // { method: 'get', path: '/pets', own: { at: [...], off: false, record: {...} } }
 */
export function listSloOperations(document: unknown): SloOperation[] {
  const paths = asRecord(asRecord(document)?.paths) ?? {};
  return Object.entries(paths).flatMap(([path, raw]) => {
    const item = asRecord(raw);
    if (!item) return [];
    const pathItem = readValue(item['x-slo'], ['paths', path, 'x-slo']);
    return HTTP_METHODS.flatMap((method): SloOperation[] => {
      const operation = asRecord(item[method]);
      if (!operation) return [];
      const operationId =
        typeof operation.operationId === 'string' ? operation.operationId : undefined;
      const own = readValue(operation['x-slo'], ['paths', path, method, 'x-slo']);
      return [
        {
          method,
          path,
          tokens: ['paths', path, method],
          ...(operationId ? { operationId } : {}),
          ...(pathItem ? { pathItem } : {}),
          ...(own ? { own } : {}),
        },
      ];
    });
  });
}

/** Reads an `x-slo` value, or undefined when there is none. */
export function readValue(value: unknown, at: Tokens): SloLevelValue | undefined {
  if (value === undefined) return undefined;
  const record = asRecord(value);
  return { at, raw: value, off: value === false, ...(record ? { record } : {}) };
}

/**
 * The nearest level's value of `key` (operation, then path item, then document): `false` when a
 * level says `x-slo: false`, undefined when no level sets it. `accept` drops ill-typed values
 * (the schema check reports them).
 * @example
 * resolveKey('availability', [document, pathItem, own], isPercentage) // { value: 99.9, at: ['x-slo'], level: 'document' }
 */
export function resolveKey<T>(
  key: string,
  levels: ReadonlyArray<[Resolved<unknown>['level'], SloLevelValue | undefined]>,
  accept: (value: unknown) => value is T,
): Resolved<T | false> | undefined {
  for (const [level, value] of [...levels].reverse()) {
    if (!value) continue;
    if (value.off) return { value: false, at: value.at, level };
    const raw = value.record?.[key];
    if (raw === false) return { value: false, at: value.at, level };
    if (raw !== undefined && accept(raw)) return { value: raw, at: value.at, level };
  }
  return undefined;
}
