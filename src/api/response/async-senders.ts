// Express senders that write the response after the handler returned: `res.sendFile` and
// `res.download` once the file is opened, `res.render` once the view is rendered. Until then
// nothing on `res` shows that a response is on its way, so the converter would answer "no body".
import type { Application, Response } from 'express';

const ASYNC_SENDERS = ['sendFile', 'download', 'render'] as const;

const watchedApps = new WeakSet<Application>();
const sendingResponses = new WeakSet<Response>();

/**
 * Marks the responses of `app` that start an asynchronous send, by wrapping those methods on the
 * app's own `app.response` once: Express's shared prototype belongs to every other app too, and
 * wrapping each `res` would cost every request.
 * @example
 * watchAsyncSenders(req.app);
 */
export function watchAsyncSenders(app: Application): void {
  if (watchedApps.has(app)) return;
  watchedApps.add(app);
  // Every app has one (Express 4 and 5); the types only declare it on `express()`'s result.
  const { response } = app as unknown as { response: Record<string, unknown> };
  for (const name of ASYNC_SENDERS) {
    const send = response[name];
    if (typeof send !== 'function') continue;
    response[name] = function markAsyncSend(this: Response, ...args: unknown[]): unknown {
      sendingResponses.add(this);
      return send.apply(this, args) as unknown;
    };
  }
}

/**
 * Marks `res` as answered elsewhere: the handler passed the request on with `next()`.
 * @example
 * handOver(res); next(err);
 */
export function handOver(res: Response): void {
  sendingResponses.add(res);
}

/**
 * Whether the handler started `res.sendFile`, `res.download` or `res.render` on `res`, or passed
 * the request on with `next()`.
 * @example
 * if (startedAsyncSend(res)) return; // the response is the handler's
 */
export function startedAsyncSend(res: Response): boolean {
  return sendingResponses.has(res);
}
