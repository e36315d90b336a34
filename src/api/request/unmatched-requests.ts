import type { Request, RequestHandler, Response } from 'express';
import { HttpProblem, sendProblem } from '../response/http-problem';
import { HTTP_METHODS } from '../../openapi/operation';
import { exactMatch, routerStack, type RouterLayer } from './operation-dispatch';

type RouteLayer = Pick<RouterLayer, 'match'>;

// A path whose parameter cannot be decoded never reached here: Express answered it (400).
function layerMatches(layer: RouteLayer, path: string): boolean {
  const match = exactMatch(layer, path);
  return !!match && match !== 'undecodable';
}

/** The answer to requests under the base path that no operation took. */
export interface UnmatchedAnswer {
  /** The layer after the operations; it lets later layers of the app that match go first. */
  middleware: RequestHandler;
  /** Answers 404/405 as a problem for a path under the base path; false for other paths. */
  answer(req: Request, res: Response): boolean;
}

/**
 * Answers requests under the base path that no operation took: 405 with an `Allow` header listing
 * every method of the path (HEAD included when GET exists), else 404. Other paths pass through.
 * Each operation's route layer decides whether it takes a path, exactly as Express routes it.
 * @example
 * app.use(answerUnmatched(mountedOperations, '/v1').middleware);
 */
export function answerUnmatched(
  operations: ReadonlyArray<{ method: string; template: string; layer: RouteLayer }>,
  basePath: string,
): UnmatchedAnswer {
  const paths = new Map<string, { layers: RouteLayer[]; methods: Set<string> }>();
  for (const op of operations) {
    const entry = paths.get(op.template) ?? { layers: [], methods: new Set() };
    entry.layers.push(op.layer);
    entry.methods.add(op.method);
    if (op.method === 'get') entry.methods.add('head');
    paths.set(op.template, entry);
  }
  function answer(req: Request, res: Response): boolean {
    const path = req.path;
    if (basePath && path !== basePath && !path.startsWith(`${basePath}/`)) return false;
    const allowed = new Set<string>();
    for (const { layers, methods } of paths.values()) {
      if (layers.some((layer) => layerMatches(layer, path))) methods.forEach((m) => allowed.add(m));
    }
    if (allowed.size === 0) {
      sendProblem(res, new HttpProblem({ status: 404, detail: `no operation at ${path}` }));
      return true;
    }
    const allow = HTTP_METHODS.filter((method) => allowed.has(method)).map((m) => m.toUpperCase());
    sendProblem(
      res,
      new HttpProblem({
        status: 405,
        detail: `${req.method} is not allowed on ${path}; allowed: ${allow.join(', ')}`,
        headers: { Allow: allow.join(', ') },
      }),
    );
    return true;
  }
  const middleware: RequestHandler = function answerUnmatchedRequest(req, res, next) {
    // Routes added to the app later come after this layer: they get their paths first.
    const stack = routerStack(req.app);
    const later = stack.slice(stack.findIndex((layer) => layer.handle === middleware) + 1);
    // Error handlers (four arguments) never see a request without an error.
    const mayTake = (layer: RouterLayer): boolean =>
      (layer.handle as { length?: number } | undefined)?.length !== 4 &&
      layerMatches(layer, req.path);
    if (later.some(mayTake) || !answer(req, res)) next();
  };
  return { middleware, answer };
}
