import type { Request, Response } from 'express';
import { ensureRequestState, secondsBetween, type Outcome } from '../../metrics/request-state';
import type { SourceContext, XMetricsLabelFunction } from '../../x-metrics';
import { parseCookies } from './cookies';
import { createContext, type HandlerContext } from './handler-context';
import { measureRequestSize, measureResponseSize } from '../response/message-size';
import { isReply } from '../response/reply';

/** What `{ fn }` label functions receive: the handler context plus the handler's `result`. */
export type LabelFunctionContext = HandlerContext & {
  /** What the handler returned (the problem document when the request failed). */
  result: unknown;
};

/** Describes one request for x-metrics sources; `res`/`outcome` are absent while it starts. */
export type ReadSourceContext = (req: Request, res?: Response, outcome?: Outcome) => SourceContext;

/**
 * Builds the reader that turns a request into the `SourceContext` x-metrics resolve labels and
 * values from. When the response has ended, the context is built once and shared by every label
 * and metric of the request.
 * @example
 * const read = buildSourceContextReader({ petKind });
 * resolveLabel(source, read(req, res, outcome))
 */
export function buildSourceContextReader(
  labelFunctions: Record<string, XMetricsLabelFunction>,
): ReadSourceContext {
  const ended = new WeakMap<Outcome, SourceContext>();
  return function readSourceContext(req, res, outcome) {
    if (!res || !outcome) return toSourceContext(req, res, outcome, labelFunctions);
    let ctx = ended.get(outcome);
    if (!ctx) {
      ctx = toSourceContext(req, res, outcome, labelFunctions);
      ended.set(outcome, ctx);
    }
    return ctx;
  };
}

function toSourceContext(
  req: Request,
  res: Response | undefined,
  outcome: Outcome | undefined,
  labelFunctions: Record<string, XMetricsLabelFunction>,
): SourceContext {
  const state = ensureRequestState(req);
  // Requests that stopped before the cookie step (or outside the API) still have cookies.
  parseCookies(req);
  const result = state.result;
  let handlerContext: LabelFunctionContext | undefined;
  return {
    method: req.method,
    operationId: state.operationId,
    route: state.routeTemplate,
    params: (req.params ?? {}) as Record<string, unknown>,
    query: (req.query ?? {}) as Record<string, unknown>,
    headers: req.headers,
    cookies: (req as Request & { cookies: Record<string, string> }).cookies,
    requestBody: req.body as unknown,
    status: outcome?.status,
    responseHeaders: res?.getHeaders(),
    responseBody: isReply(result) ? result.body : result,
    durationSeconds: outcome && secondsBetween(state.startTime, outcome.endTime),
    requestSize: measureRequestSize(req),
    responseSize: res && measureResponseSize(res),
    labelFunctions,
    // Built on first use: most metrics have no `{ fn }` label.
    get handlerContext(): LabelFunctionContext {
      handlerContext ??= Object.assign(
        createContext(state.operationId ?? '', req, (res ?? req.res) as Response),
        { result },
      );
      return handlerContext;
    },
  };
}
