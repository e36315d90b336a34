import { readOperations, readPathItem } from '../openapi/list-operations';
import type { Tokens } from './problem';

/** One operation as x-metrics sees it: a view over the document's operations. */
export interface XMetricsOperation {
  /** The operationId, derived from method and path when the document has none (as createApi does). */
  operationId: string;
  method: string;
  /** The OpenAPI path template. */
  path: string;
  /** Pointer tokens of the operation, e.g. `['paths', '/pets', 'get']`. */
  tokens: Tokens;
  /** The operation's own `x-metrics`, if any. */
  xMetrics: unknown;
  /** The `x-metrics` of its path item, if any. */
  pathItemXMetrics: unknown;
  /** Names of declared `path` parameters (path-item level ones included). */
  pathParams: Set<string>;
  /** Names of declared `query` parameters (path-item level ones included). */
  queryParams: Set<string>;
}

/**
 * The operations of an OpenAPI document, raw or dereferenced, as `listOperations` lists them
 * (same order, same derived operationIds), without changing the document.
 * @example
 * viewOperations(document).map((op) => op.operationId) // ['listPets', 'getPet']
 */
export function viewOperations(document: unknown): XMetricsOperation[] {
  return readOperations(document).map((op) => {
    const namesIn = (where: string) =>
      new Set(
        op.parameters.flatMap((p) =>
          p.in === where && typeof p.name === 'string' ? [p.name] : [],
        ),
      );
    return {
      operationId: op.operationId as string, // readOperations derives the missing ones
      method: op.method,
      path: op.path,
      tokens: ['paths', op.path, op.method],
      xMetrics: (op.operation as { 'x-metrics'?: unknown })['x-metrics'],
      pathItemXMetrics: readPathItem(document, op.path)?.['x-metrics'],
      pathParams: namesIn('path'),
      queryParams: namesIn('query'),
    };
  });
}
