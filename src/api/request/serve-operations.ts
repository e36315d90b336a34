import type { Application, Request, RequestHandler, Response } from 'express';
import { HttpProblem, sendProblem } from '../response/http-problem';
import { handOver } from '../response/async-senders';
import { buildRouteTable, type RouteMatch } from './route-table';

/** One operation as the API serves it. */
export interface ServedOperation {
  /** Lower-case HTTP method. */
  method: string;
  /** The OpenAPI path template, base path included. */
  template: string;
  /** The Express-style route path (`/v1/pets/:petId`), what `req.route.path` says. */
  routePath: string;
  serve(req: Request, res: Response): void;
}

/** The API as one middleware, and the answer for what it does not serve. */
export interface ServedApi {
  /** Serves requests for operations; passes every other request on (`next()`). */
  middleware: RequestHandler;
  /**
   * Answers a request that reached the end of the app under the base path: 405 with `Allow` for
   * a known path, 204 with `Allow` for OPTIONS there, else 404. False for other paths.
   */
  answerUnmatched(req: Request, res: Response): boolean;
}

/**
 * Serves `operations` from a route table compiled now, with the app's case and trailing-slash
 * settings. A request for an operation gets its decoded `req.params` and a `req.route`; a handler
 * calling `next()` or `next(err)` simply continues Express's walk after this middleware.
 * @example
 * const api = serveOperations(app, operations, '/v1');
 * app.use(api.middleware);
 */
export function serveOperations(
  app: Application,
  operations: readonly ServedOperation[],
  basePath: string,
): ServedApi {
  const table = buildRouteTable(
    operations.map((op) => ({
      method: op.method.toUpperCase(),
      template: op.template,
      value: { op, route: { path: op.routePath, methods: { [op.method]: true } } },
    })),
    { caseSensitive: !!app.get('case sensitive routing'), strict: !!app.get('strict routing') },
  );
  const middleware: RequestHandler = function serveApiOperation(req, res, next) {
    const found = table.match(req.method, req.path);
    if (found.kind === 'undecodable') {
      // As Express's router answers it.
      return next(
        Object.assign(new Error(`Failed to decode param '${found.raw}'`), { status: 400 }),
      );
    }
    if (found.kind !== 'found') return next();
    req.params = found.params;
    (req as { route?: unknown }).route = found.value.route;
    // `next()` from the operation: the layers after it answer, not the response converter.
    req.next = (err?: unknown) => {
      handOver(res);
      next(err);
    };
    found.value.op.serve(req, res);
  };
  return {
    middleware,
    answerUnmatched(req, res) {
      const path = req.path;
      if (basePath && path !== basePath && !path.startsWith(`${basePath}/`)) return false;
      sendUnmatched(req, res, table.match(req.method, path));
      return true;
    },
  };
}

function sendUnmatched(req: Request, res: Response, match: RouteMatch<unknown>): void {
  if (match.kind !== 'method-not-allowed') {
    // A path no operation takes, or an operation that passed the request on with next().
    sendProblem(res, new HttpProblem({ status: 404, detail: `no operation at ${req.path}` }));
    return;
  }
  const allow = match.allow.join(', ');
  if (req.method === 'OPTIONS') {
    res.setHeader('Allow', allow);
    res.status(204).end();
    return;
  }
  sendProblem(
    res,
    new HttpProblem({
      status: 405,
      detail: `${req.method} is not allowed on ${req.path}; allowed: ${allow}`,
      headers: { Allow: allow },
    }),
  );
}
