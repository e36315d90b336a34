import type { Request } from 'express';
import { routeHandlerName } from '../adapters/express';
import type { LabelSpec } from './labels';
import { getRequestState } from './request-state';
import type { GroupBy } from './types';

/** Label value of requests no route (or operation) answered: bounded, whatever the URL. */
export const UNMATCHED = '__unmatched__';

/** The path of the request as the client sent it, without the query string. */
export function requestPath(req: Request): string {
  const url = req.originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function isUnmatched(req: Request): boolean {
  return getRequestState(req)?.unmatched === true;
}

function routeOf(req: Request): string {
  if (isUnmatched(req)) return UNMATCHED;
  if (req.route) return `${req.baseUrl ?? ''}${String(req.route.path)}`;
  return getRequestState(req)?.routeTemplate ?? UNMATCHED;
}

function endpointOf(req: Request): string {
  if (isUnmatched(req)) return UNMATCHED;
  // createApi's operations name their handler; other routes are asked through Express.
  return getRequestState(req)?.endpoint ?? routeHandlerName(req) ?? UNMATCHED;
}

function operationOf(req: Request): string {
  const state = getRequestState(req);
  return state?.operationId && !state.unmatched ? state.operationId : UNMATCHED;
}

/**
 * The label that groups the duration metric, as a label of the one recording code path.
 * Requests no route answered get `__unmatched__` whatever the grouping, except `path`.
 */
export function toGroupLabel(groupBy: GroupBy): LabelSpec {
  switch (groupBy) {
    case 'route':
      return { name: 'route', resolve: routeOf };
    case 'path':
      return { name: 'path', resolve: requestPath };
    case 'endpoint':
      return { name: 'endpoint', resolve: endpointOf };
    case 'operation':
      return { name: 'operation', resolve: operationOf };
    default:
      return {
        name: groupBy.name,
        resolve: (req: Request) => (isUnmatched(req) ? UNMATCHED : groupBy(req)),
      };
  }
}
