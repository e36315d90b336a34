import type { OpenAPIV3 } from 'openapi-types';
import type { ResolvedApiOptions } from './api-options';
import { createStandIn } from './missing-handlers';
import type { Operation } from '../spec/operation';
import type { Handler } from './handler-context';

/** An operation as createApi serves it: located under the base path, with its handler. */
export interface RoutedOperation extends Operation {
  operationId: string;
  /** The Express route path including the base path. */
  routePath: string;
  /** The OpenAPI path template including the base path (what validation and metrics see). */
  routeTemplate: string;
  /** The handler, or the stand-in chosen by `missingHandler`. */
  handler: Handler;
  /** The security requirements in force (operation-level, else document-level). */
  security: OpenAPIV3.SecurityRequirementObject[];
}

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

/** Literal segments before templated ones, so `/pets/mine` is not taken by `/pets/{petId}`. */
function sortForRouting(operations: readonly Operation[]): Operation[] {
  const rank = (path: string): string =>
    path
      .split('/')
      .map((segment) => (segment.includes('{') ? '1' : '0'))
      .join('');
  return operations
    .map((op, index) => ({ op, index, rank: rank(op.path) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.index - b.index))
    .map(({ op }) => op);
}
