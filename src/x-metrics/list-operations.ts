import type { Tokens } from './problem';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One operation as x-metrics sees it. */
export interface XMetricsOperation {
  /** The operationId, or `METHOD /path` when the operation has none. */
  key: string;
  operationId?: string;
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
 * Lists the operations of an OpenAPI document, following local `$ref`s of path items and
 * parameters so that raw documents work as well as dereferenced ones.
 * @example
 * listOperations(document).map((op) => op.key) // ['listPets', 'getPet']
 */
export function listOperations(document: unknown): XMetricsOperation[] {
  const paths = asRecord(asRecord(document)?.paths);
  if (!paths) return [];
  const operations: XMetricsOperation[] = [];
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = asRecord(follow(document, rawItem));
    if (!item) continue;
    const shared = readParameters(document, item.parameters);
    for (const method of METHODS) {
      const operation = asRecord(follow(document, item[method]));
      if (!operation) continue;
      const own = readParameters(document, operation.parameters);
      const all = [...shared, ...own];
      const operationId =
        typeof operation.operationId === 'string' ? operation.operationId : undefined;
      operations.push({
        key: operationId ?? `${method.toUpperCase()} ${path}`,
        ...(operationId ? { operationId } : {}),
        method,
        path,
        tokens: ['paths', path, method],
        xMetrics: operation['x-metrics'],
        pathItemXMetrics: item['x-metrics'],
        pathParams: new Set(all.filter((p) => p.in === 'path').map((p) => p.name)),
        queryParams: new Set(all.filter((p) => p.in === 'query').map((p) => p.name)),
      });
    }
  }
  return operations;
}

function readParameters(document: unknown, raw: unknown): Array<{ in: string; name: string }> {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry: unknown) => {
    const parameter = asRecord(follow(document, entry));
    const where = parameter?.in;
    const name = parameter?.name;
    return typeof where === 'string' && typeof name === 'string' ? [{ in: where, name }] : [];
  });
}

// Follows a chain of local `$ref`s (`#/components/...`); anything else is returned as is.
function follow(document: unknown, node: unknown, depth = 0): unknown {
  const ref = asRecord(node)?.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/') || depth > 20) return node;
  let target: unknown = document;
  for (const token of ref.slice(2).split('/')) {
    const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
    target = asRecord(target)?.[key];
  }
  return follow(document, target, depth + 1);
}

/** The value as a plain object, or undefined when it is not one. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
