import type { Request, RequestHandler, Response } from 'express';
import { HttpProblem, sendProblem } from './http-problem';
import { toPathRegExp } from '../spec/express-path';
import { HTTP_METHODS } from '../spec/operation';
import type { RoutedOperation } from './routed-operation';

/**
 * Answers requests under the base path that no operation took: 405 with an `Allow` header listing
 * every method of the path (HEAD included when GET exists), else 404. Other paths pass through.
 * @example
 * router.use(answerUnmatched(operations, '/v1'));
 */
export function answerUnmatched(
  operations: readonly RoutedOperation[],
  basePath: string,
): RequestHandler {
  const paths = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  for (const op of operations) {
    const entry = paths.get(op.routeTemplate) ?? {
      pattern: toPathRegExp(op.routeTemplate),
      methods: new Set(),
    };
    entry.methods.add(op.method);
    if (op.method === 'get') entry.methods.add('head');
    paths.set(op.routeTemplate, entry);
  }
  return function answerUnmatchedRequest(req: Request, res: Response, next) {
    const path = req.path;
    if (basePath && path !== basePath && !path.startsWith(`${basePath}/`)) return next();
    const allowed = new Set<string>();
    for (const { pattern, methods } of paths.values()) {
      if (pattern.test(path)) methods.forEach((method) => allowed.add(method));
    }
    if (allowed.size === 0) {
      sendProblem(res, new HttpProblem({ status: 404, detail: `no operation at ${path}` }));
      return undefined;
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
    return undefined;
  };
}
