import type { OpenAPIV3 } from 'openapi-types';
import type { ResolvedApiOptions } from './api-options';
import { createStandIn } from './missing-handlers';
import type { Operation } from '../../openapi/operation';
import type { RoutedOperation } from '../types';

/**
 * The operations as createApi serves them, in routing order, each with its handler (or the
 * stand-in `missingHandler` chose) and the security requirements in force.
 * @example
 * routeOperations(spec.operations, document, resolved, '/v1')[0].routePath // '/v1/pets'
 */
export function routeOperations(
  operations: readonly Operation[],
  document: OpenAPIV3.Document,
  options: ResolvedApiOptions,
  basePath: string,
): RoutedOperation[] {
  return sortForRouting(operations).map((op) => {
    const operationId = op.operationId as string; // boot checks guarantee it
    const handler =
      options.handlers[operationId] ??
      createStandIn(
        operationId,
        op.operation,
        options.missingHandler as 'mock' | 'not-implemented',
      );
    return {
      ...op,
      operationId,
      routePath: basePath + op.expressPath,
      routeTemplate: basePath + op.path,
      handler,
      security: op.operation.security ?? document.security ?? [],
    };
  });
}

/**
 * Literal segments before templated ones, same-shaped paths in document order (the first of a
 * method on a shape is the one served), and within one path a declared HEAD operation first:
 * the order the route table is built in and `api.operations` lists.
 */
function sortForRouting(operations: readonly Operation[]): Operation[] {
  const firstOfPath = new Map<string, number>();
  operations.forEach((op, index) => {
    if (!firstOfPath.has(op.path)) firstOfPath.set(op.path, index);
  });
  const key = (op: Operation, index: number): Array<string | number> => [
    op.path
      .split('/')
      .map((segment) => (segment.includes('{') ? '1' : '0'))
      .join(''),
    firstOfPath.get(op.path) as number,
    op.method === 'head' ? 0 : 1,
    index,
  ];
  return operations
    .map((op, index) => ({ op, key: key(op, index) }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map(({ op }) => op);
}

function compareKeys(a: Array<string | number>, b: Array<string | number>): number {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i] as string | number, b[i] as string | number];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
