import type { Application, Request, Response } from 'express';
import { handOver } from '../response/async-senders';

// Express walks its whole route stack for every request, with a `next()` hop per layer and a
// second dispatch inside the matched route. The operations are known at boot, so a request for
// one of them goes straight to its handler instead, matched by the regular expression Express
// itself would build for the route (same case and trailing-slash settings, same decoding).

/** The parts of Express 5's router (the `router` package) this module relies on. */
export interface RouterLayer {
  route?: { path?: unknown };
  /** The middleware or route dispatcher the layer calls. */
  handle?: unknown;
  match(path: string): unknown;
}
interface AppRouter {
  stack: RouterLayer[];
  params: Record<string, unknown>;
  caseSensitive?: boolean;
  strict?: boolean;
  handle(req: Request, res: Response, done: (err?: unknown) => void): void;
}

/** One operation as mounted on the app. */
export interface MountedOperation {
  /** Lower-case HTTP method. */
  method: string;
  /** The OpenAPI path template the route serves, base path included. */
  template: string;
  /** The Express route (what `req.route` is while it serves). */
  route: unknown;
  /** The route's layer in the app's router stack. */
  layer: RouterLayer;
  serve(req: Request, res: Response): void;
}

/**
 * Mounts one operation as an Express route, as `app[method](routePath, serve)` would.
 * @example
 * const mounted = mountOperationRoute(app, { method: 'get', routePath: '/pets/:petId', template: '/pets/{petId}' }, serve);
 */
export function mountOperationRoute(
  app: Application,
  where: { method: string; routePath: string; template: string },
  serve: (req: Request, res: Response) => void,
): MountedOperation {
  const route = app.route(where.routePath) as unknown as Record<string, (fn: unknown) => void>;
  // On Express's walk: serves, unless the request resumes after this route (see `resumeWalk`).
  const handle = (req: Request, res: Response, next: (err?: unknown) => void): void => {
    const resumed = resumes.get(req);
    if (resumed?.route === route) {
      resumes.delete(req);
      return next(resumed.err);
    }
    // `next()` from the handler: the layers after this route answer, not the converter.
    req.next = (err?: unknown) => {
      handOver(res);
      next(err);
    };
    serve(req, res);
  };
  (route[where.method] as (fn: unknown) => void).call(route, handle);
  const stack = routerStack(app);
  const layer = stack[stack.length - 1] as RouterLayer;
  return { method: where.method, template: where.template, route, layer, serve };
}

interface Candidate {
  op: MountedOperation;
  pattern: RegExp;
  names: string[];
  /** Earlier layers that could match some path of this operation: Express would look there first. */
  guards: RouterLayer[];
  /**
   * A segment mixes parameters with text (`{name}.{ext}`): Express splits those its own way, so
   * its layer has the last word on such paths (the pattern here only pre-selects them).
   */
  askLayer: boolean;
}

/**
 * Sends requests for `operations` (mounted consecutively, the newest routes so far) straight to
 * their handlers. Express routes the request itself whenever the answer could differ: an earlier
 * layer (the app's own middleware, the metrics endpoint) matches the path, the app has
 * `app.param()` callbacks, the method is HEAD or OPTIONS (Express's implicit answers), or the
 * URL is unusual (absolute form, non-ASCII, undecodable parameters).
 * @returns whether the shortcut is in place (Express 5; Express 4 keeps its own walk)
 */
export function dispatchOperationsFirst(
  app: Application,
  operations: readonly MountedOperation[],
): boolean {
  const router = appRouter(app);
  const start = router && operations[0] ? router.stack.indexOf(operations[0].layer) : -1;
  if (!router || start === -1) return false;
  const earlier = router.stack.slice(0, start);
  const byMethod = new Map<string, Candidate[]>();
  for (const op of operations) {
    const candidate = toCandidate(op, router, earlier);
    // Any doubt that Express would match the same paths: leave every request to Express.
    if (!candidate) return false;
    const method = op.method.toUpperCase();
    if (method !== 'HEAD' && method !== 'OPTIONS')
      byMethod.set(method, [...(byMethod.get(method) ?? []), candidate]);
  }
  const walk = router.handle;
  router.handle = function handleOperationsFirst(req, res, done) {
    const candidates = byMethod.get(req.method);
    const path = candidates && plainPathname(req.url);
    const found = path !== undefined && !hasParamCallbacks(router) && find(candidates, path);
    if (!found) {
      walk.call(this, req, res, done);
      return;
    }
    req.baseUrl ??= '';
    req.originalUrl ??= req.url;
    req.next = (err?: unknown) =>
      resumeWalk(req, found.op.route, err, () => walk.call(router, req, res, done));
    req.route = found.op.route;
    req.params = found.params as Request['params'];
    found.op.serve(req, res);
  };
  return true;
}

// `next()` from an operation (Express's own `res.sendFile` calls `req.next(err)` on failure) goes
// on to the layers after its route, as on Express's walk: the walk is started over and the
// operation's route, reached again, passes the request (and the error) on.
const resumes = new WeakMap<Request, { route: unknown; err: unknown }>();

function resumeWalk(req: Request, route: unknown, err: unknown, walk: () => void): void {
  handOver(req.res as Response);
  resumes.set(req, { route, err });
  walk();
}

function find(
  candidates: readonly Candidate[] | undefined,
  path: string,
): { op: MountedOperation; params: Record<string, string> } | undefined {
  for (const candidate of candidates ?? []) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    if (candidate.guards.some((layer) => matches(layer, path))) return undefined;
    if (candidate.askLayer) {
      const exact = exactMatch(candidate.op.layer, path);
      if (exact === 'undecodable') return undefined; // Express answers it (400)
      if (!exact) continue; // Express's walk would try the next route too
      return { op: candidate.op, params: exact.params };
    }
    const params = decodeParams(match, candidate.names);
    return params && { op: candidate.op, params };
  }
  return undefined;
}

// Express's route pattern for a template: `{name}` is `([^/]+)`, the rest literal (exact for
// whole-segment parameters; a superset where a segment mixes them with text).
function toCandidate(
  op: MountedOperation,
  router: AppRouter,
  earlier: readonly RouterLayer[],
): Candidate | undefined {
  const names: string[] = [];
  const template = router.strict ? op.template : op.template.replace(/\/+$/, '');
  let source = '';
  let last = 0;
  for (const match of template.matchAll(/\{([^}]+)\}/g)) {
    source += escapeRegExp(template.slice(last, match.index)) + '([^/]+)';
    names.push(match[1] as string);
    last = (match.index ?? 0) + match[0].length;
  }
  source += escapeRegExp(template.slice(last));
  const pattern = new RegExp(
    `^(?:${source})${router.strict ? '' : '(?:\\/$)?'}$`,
    router.caseSensitive ? '' : 'i',
  );
  const sample = template.replace(/\{[^}]+\}/g, 'x') || '/';
  if (!pattern.test(sample) || !matches(op.layer, sample)) return undefined;
  const askLayer = template
    .split('/')
    .some((part) => part.includes('{') && !/^\{[^}]+\}$/.test(part));
  const guards = earlier.filter((layer) => !isDisjoint(layer, pattern));
  return { op, pattern, names, guards, askLayer };
}

// A route at a plain literal path matches only that path (modulo case and one trailing slash),
// so it is out of the way when the operation's pattern rejects the path itself.
function isDisjoint(layer: RouterLayer, pattern: RegExp): boolean {
  const path = layer.route?.path;
  return typeof path === 'string' && /^[\w\-.~/]*$/.test(path) && !pattern.test(path);
}

/**
 * What Express's layer says of a path: no, its parameters, or that a parameter cannot be decoded
 * (Express answers that with a 400).
 * @example
 * exactMatch(layer, '/pets/3') // { params: { petId: '3' } }
 */
export function exactMatch(
  layer: Pick<RouterLayer, 'match'>,
  path: string,
): false | 'undecodable' | { params: Record<string, string> } {
  try {
    return layer.match(path) as false | { params: Record<string, string> };
  } catch {
    return 'undecodable';
  }
}

// Any truthy answer (or a failure) means Express would stop at this layer, or look closer.
function matches(layer: RouterLayer, path: string): boolean {
  return !!exactMatch(layer, path);
}

// As the router does: decoded values in a prototype-less object; undecodable ones are Express's
// to answer (400).
function decodeParams(
  match: RegExpExecArray,
  names: readonly string[],
): Record<string, string> | undefined {
  const params = Object.create(null) as Record<string, string>;
  for (let i = 0; i < names.length; i++) {
    const raw = match[i + 1] as string;
    if (raw.includes('%')) {
      try {
        params[names[i] as string] = decodeURIComponent(raw);
      } catch {
        return undefined;
      }
    } else params[names[i] as string] = raw;
  }
  return params;
}

function hasParamCallbacks(router: AppRouter): boolean {
  for (const _name in router.params) return true;
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

// Printable ASCII without space and '#': where Express's own URL parsing takes its fast lane.
const PLAIN_PATH = /^\/[!-"$-~]*$/;

/** The path of an origin-form URL, or undefined when Express should parse the URL itself. */
function plainPathname(url: string): string | undefined {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return PLAIN_PATH.test(path) ? path : undefined;
}

/**
 * The layers of an app's router, Express 5 or 4 (empty before the first route).
 * @example
 * routerStack(app).length
 */
export function routerStack(app: Application): RouterLayer[] {
  const legacy = (app as unknown as { _router?: { stack: RouterLayer[] } })._router;
  return appRouter(app)?.stack ?? legacy?.stack ?? [];
}

// Express 5's app router; Express 4 (which has `lazyrouter`) throws on `app.router`.
function appRouter(app: Application): AppRouter | undefined {
  if ('lazyrouter' in app) return undefined;
  return (app as unknown as { router: AppRouter }).router;
}
