import type { Request, Response } from 'express';

/** What a handler receives: the validated, coerced request plus escape hatches to Express. */
export interface HandlerContext {
  /** The `operationId` being served. */
  operationId: string;
  /** Path parameters, coerced to their schema types. */
  params: Record<string, unknown>;
  /** Query parameters, coerced and deserialised (`style`/`explode`) per the spec. */
  query: Record<string, unknown>;
  /** Request headers (lower-case names). */
  headers: Request['headers'];
  /** Request cookies by name. */
  cookies: Record<string, string>;
  /** The validated request body (`undefined` when none was sent). */
  body: unknown;
  /**
   * The principal a security handler returned (any truthy value other than `true`, usually an
   * object: the user, the token's claims) for the requirement that let the request in; `undefined`
   * for open operations and handlers that returned `true`.
   */
  auth: unknown;
  req: Request;
  res: Response;
  /**
   * Aborts when the client goes away before the response is complete, or when the handler did not
   * answer within `handlerTimeoutMs` (the reason says which).
   */
  signal: AbortSignal;
}

/**
 * Serves one operation: returns what becomes the response (see the response converter).
 * @example
 * const getPet: Handler = ({ params }) => store.get(params.petId as number);
 */
export type Handler = (ctx: HandlerContext) => unknown;

/** Handlers keyed by `operationId`. */
export type Handlers = Record<string, Handler>;

/**
 * Decides one security scheme of a requirement: `true` lets the request through, and so does a
 * principal (the user, the token's claims), which the operation's handler gets as `ctx.auth`.
 * `scopes` are the scopes the operation requires for this scheme.
 * @example
 * const bearerAuth: SecurityHandler = ({ headers }) =>
 *   headers.authorization === 'Bearer s3cret' ? { user: 'ada' } : false;
 */
export type SecurityHandler = (
  ctx: HandlerContext,
  scopes: string[],
  // Falsy refuses; `true` or a principal (an object) lets the request in.
) => boolean | object | null | undefined | Promise<boolean | object | null | undefined>;

/** Security handlers keyed by the names under `components.securitySchemes`. */
export type SecurityHandlers = Record<string, SecurityHandler>;

// The principal travels on the request, so every context built for it (the handler's, label
// functions') sees it; a symbol keeps it off everything else's way.
const kPrincipal = Symbol('spectrometer.principal');

/**
 * Keeps the principal a security handler returned for the request (`ctx.auth`).
 * @example
 * setPrincipal(req, { user: 'ada' });
 */
export function setPrincipal(req: Request, principal: unknown): void {
  (req as Request & { [kPrincipal]?: unknown })[kPrincipal] = principal;
}

/**
 * Builds the handler context of a request. `signal` is created on first use: most handlers never
 * read it, and an AbortController per request is measurable.
 * @example
 * const ctx = createContext('getPet', req, res);
 */
export function createContext(operationId: string, req: Request, res: Response): HandlerContext {
  return new RequestContext(operationId, req, res);
}

/**
 * Aborts the `signal` of a context {@link createContext} built, e.g. when the handler did not
 * answer in time: now if the handler read it, else as soon as it does.
 * @example
 * abortContext(ctx, new DOMException('too slow', 'TimeoutError'));
 */
export function abortContext(ctx: HandlerContext, reason: Error): void {
  if (ctx instanceof RequestContext) abortRequestContext(ctx, reason);
}

let abortRequestContext: (ctx: RequestContext, reason: Error) => void;

// A class rather than an object literal with a getter: one allocation per request, one shape for
// every context, and the signal's state stays out of the handler's reach.
class RequestContext implements HandlerContext {
  readonly operationId: string;
  readonly params: Record<string, unknown>;
  readonly query: Record<string, unknown>;
  readonly headers: Request['headers'];
  readonly cookies: Record<string, string>;
  readonly body: unknown;
  readonly auth: unknown;
  readonly req: Request;
  readonly res: Response;
  #controller: AbortController | undefined = undefined;
  #abortedBy: Error | undefined = undefined;

  constructor(operationId: string, req: Request, res: Response) {
    this.operationId = operationId;
    this.params = req.params as Record<string, unknown>;
    this.query = queryOf(req);
    this.headers = req.headers;
    this.cookies = (req as Request & { cookies?: Record<string, string> }).cookies ?? {};
    this.body = req.body as unknown;
    this.auth = (req as Request & { [kPrincipal]?: unknown })[kPrincipal];
    this.req = req;
    this.res = res;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = watchClient(this.res);
      if (this.#abortedBy) this.#controller.abort(this.#abortedBy);
    }
    return this.#controller.signal;
  }

  static {
    abortRequestContext = (ctx, reason) => {
      ctx.#abortedBy ??= reason;
      ctx.#controller?.abort(reason);
    };
  }
}

// Express 5's `req.query` is a getter that parses the URL again on every read. The validator leaves
// an own, deserialised copy when it worked on the query; without a query string, the app's query
// parser of an empty string gives the same kind of object without reading the URL.
function queryOf(req: Request): Record<string, unknown> {
  if (Object.hasOwn(req, 'query') || (req.originalUrl ?? req.url).includes('?'))
    return req.query as Record<string, unknown>;
  const parse = req.app.get('query parser fn') as ((text: string) => object) | undefined;
  return (parse ? parse('') : {}) as Record<string, unknown>;
}

function watchClient(res: Response): AbortController {
  const controller = new AbortController();
  const abort = (): void => controller.abort(new Error('the client closed the connection'));
  if (res.destroyed && !res.writableFinished) abort();
  else
    res.once('close', () => {
      if (!res.writableFinished) abort();
    });
  return controller;
}
