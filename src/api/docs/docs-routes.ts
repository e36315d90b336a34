import { dirname, join } from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { BootProblem } from '../../errors';
import { ensureRequestState } from '../../metrics/request-state';
import type { LoadedSpec } from '../../openapi/load-spec';
import type { RoutedOperation } from '../types';
import { toSpecJson } from './spec-json';
import { renderDocsPage, SWAGGER_INITIALIZER } from './swagger-ui-page';

/** What Swagger UI needs of `swagger-ui-dist`; nothing else of the package is served. */
const ASSETS = new Set([
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'favicon-16x16.png',
  'favicon-32x32.png',
  'oauth2-redirect.html',
  'oauth2-redirect.js',
]);
const ASSET_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** Where the docs live under the API's base path. */
export function docsPaths(basePath: string): { spec: string; docs: string } {
  return { spec: `${basePath}/openapi.json`, docs: `${basePath}/docs` };
}

/**
 * Builds the middleware serving `<basePath>/openapi.json` (the spec as loaded, see toSpecJson)
 * and `<basePath>/docs` (Swagger UI from the installed `swagger-ui-dist`, no CDN). GET and HEAD
 * only; neither is an operation, and neither is counted in any metric.
 * @example
 * app.use(buildDocsMiddleware(spec, '/v1'));
 */
export function buildDocsMiddleware(spec: LoadedSpec, basePath: string): RequestHandler {
  const paths = docsPaths(basePath);
  const assets = dirname(require.resolve('swagger-ui-dist/package.json'));
  let json: string | undefined; // written on first request: most boots never serve it
  return function serveDocs(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const caseSensitive = !!req.app.get('case sensitive routing');
    const path = normalise(req.path, caseSensitive);
    const under = `${normalise(paths.docs, caseSensitive)}/`;
    const asset = path.startsWith(under) ? req.path.slice(under.length) : undefined;
    const send = (type: string, body: string): void => {
      ensureRequestState(req).excludeAll = true;
      res.set('Content-Type', type).send(body);
    };
    if (path === normalise(paths.spec, caseSensitive)) {
      json ??= toSpecJson(spec);
      send('application/json; charset=utf-8', json);
    } else if (path === normalise(paths.docs, caseSensitive)) {
      const page = renderDocsPage({
        title: spec.document.info?.title ?? 'API',
        docsPath: req.baseUrl + paths.docs,
        specPath: req.baseUrl + paths.spec,
      });
      send('text/html; charset=utf-8', page);
    } else if (asset === 'swagger-initializer.js') {
      send('text/javascript; charset=utf-8', SWAGGER_INITIALIZER);
    } else if (asset !== undefined && ASSETS.has(asset)) {
      ensureRequestState(req).excludeAll = true;
      res.sendFile(join(assets, asset), { maxAge: ASSET_MAX_AGE_MS }, (error) => {
        if (error && !res.headersSent) next(error);
      });
    } else {
      // Anything else, under /docs too, is the API's to answer (a 404 problem, usually).
      next();
    }
  };
}

/**
 * Operations the docs would hide: a GET at `<basePath>/openapi.json` or `<basePath>/docs`.
 * @example
 * checkDocsPaths(operations, '/v1') // [] unless the spec itself has GET /docs
 */
export function checkDocsPaths(
  operations: readonly RoutedOperation[],
  basePath: string,
): BootProblem[] {
  const taken = Object.values(docsPaths(basePath)).map((path) => normalise(path, false));
  return operations
    .filter(
      (op) =>
        (op.method === 'get' || op.method === 'head') &&
        taken.includes(normalise(op.routeTemplate, false)),
    )
    .map((op) => ({
      operationId: op.operationId,
      method: op.method,
      path: op.path,
      pointer: op.pointer,
      message: `${op.method.toUpperCase()} ${op.routeTemplate} is where the docs are served: operation "${op.operationId}" would never run`,
      hint: 'turn the docs off (createApi docs: false, serve --no-docs) or move the operation',
    }));
}

// Express's default routing: case-insensitive, a trailing slash is the same path.
function normalise(path: string, caseSensitive: boolean): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return caseSensitive ? trimmed : trimmed.toLowerCase();
}
