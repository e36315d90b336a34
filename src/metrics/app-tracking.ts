import type { Application, Request, Response } from 'express';
import finalhandler from 'finalhandler';
import { ensureRequestState, type RequestState } from './request-state';

/** Called when a request enters a tracked app, before any of the app's middleware. */
export type RequestListener = (req: Request, res: Response, state: RequestState) => void;

type Done = (err?: unknown) => void;
type Handle = (req: Request, res: Response, done?: Done) => void;
type TrackedApp = Application & { handle: Handle };

/**
 * Answers a request that reached the end of an app: fell through (`err` undefined) or failed.
 * Returning `false` declines: Express's own final handler answers instead.
 */
export type FinalResponder = (req: Request, res: Response, err: unknown) => boolean | void;

const listenersByApp = new WeakMap<Application, RequestListener[]>();
const respondersByApp = new WeakMap<Application, FinalResponder>();

/**
 * Replaces Express's final handler (HTML 404/500) for a tracked app, e.g. with problem+json.
 * It runs after every route and middleware, so routes added later are never shadowed.
 */
export function useFinalResponder(app: Application, responder: FinalResponder): void {
  respondersByApp.set(app, responder);
}

/**
 * Calls `listener` for every request that enters `app`, from its very first middleware to the
 * final response, and records how the request left the app: answered, fell through (404) or
 * ended in an unhandled error. Wraps `app.handle` once per app, so the order in which the app's
 * middleware and routes were added does not matter.
 */
export function trackApp(app: Application, listener: RequestListener): void {
  const listeners = listenersByApp.get(app);
  if (listeners) {
    listeners.push(listener);
    return;
  }
  const all = [listener];
  listenersByApp.set(app, all);
  const tracked = app as TrackedApp;
  const handle = tracked.handle;
  tracked.handle = function handleTracked(this: TrackedApp, req, res, done) {
    const state = ensureRequestState(req);
    for (const run of all) run(req, res, state);
    return handle.call(this, req, res, done ?? finish(this, req, res, state));
  };
}

// The end of a top-level app: remember why the request got here, then answer with the app's
// final responder if it has one, else exactly as Express would have (HTML 404/500, logging).
function finish(app: TrackedApp, req: Request, res: Response, state: RequestState): Done {
  return (err) => {
    if (err === undefined || err === null) state.unmatched = true;
    else if (!isClientError(err)) state.exception = err;
    const responder = respondersByApp.get(app);
    if (responder && responder(req, res, err ?? undefined) !== false) {
      if (state.exception !== undefined && state.exception === err) logUnhandledError(app, err);
      return;
    }
    // Express's own final handler, a package of its own (finalhandler), as Express calls it.
    finalhandler(req, res, {
      env: app.get('env'),
      onerror: (error: unknown) => logUnhandledError(app, error),
    })(err);
  };
}

// Errors carrying a 4xx status (http-errors style, `next(createError(404))`) are HTTP answers,
// not exceptions: Express responds with that status and so do the metrics.
function isClientError(err: unknown): boolean {
  const status = (err as { status?: unknown; statusCode?: unknown }) ?? {};
  const code = typeof status.status === 'number' ? status.status : status.statusCode;
  return typeof code === 'number' && code >= 400 && code < 500;
}

/**
 * Logs an error no handler dealt with, with its stack, as Express does: outside tests only
 * (`app.get('env') !== 'test'`, i.e. NODE_ENV).
 * @example
 * logUnhandledError(req.app, error)
 */
export function logUnhandledError(app: Application, error: unknown): void {
  if (app.get('env') !== 'test') console.error(describeError(error));
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
