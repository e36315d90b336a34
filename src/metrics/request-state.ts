import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TraceContext } from './trace-context';

/** How a request ended, computed once and shared by every metric that records it. */
export interface Outcome {
  /**
   * The status to record: the response's, 500 for an unhandled error (or its `exceptionStatus`),
   * also when it cut the response short, else 499 when the client went away.
   */
  readonly status: number;
  /** The response did not finish: the client went away, or a failure cut it short. */
  readonly aborted: boolean;
  /** An unhandled error reached the end of the app. */
  readonly exception: boolean;
  /** `process.hrtime.bigint()` when the response ended. */
  readonly endTime: bigint;
}

/** Called once when the response ends (finished or aborted), with the request it answered. */
export type EndHook = (
  outcome: Outcome,
  req: IncomingMessage,
  res: ServerResponse,
  state: RequestState,
) => void;

/** Status recorded for requests whose client went away before the response finished. */
export const ABORTED_STATUS = 499;

/**
 * What spectrometer knows about one request while it is in flight. Created when the request
 * enters an instrumented app, read when the response ends. Shared by every exporter that
 * tracks the app and by createApi, which fills in the operation and the handler's result.
 */
export interface RequestState {
  /** `process.hrtime.bigint()` when the request entered the app. */
  readonly startTime: bigint;
  /** Set by `doNotTrack()`: no default metrics for this request. */
  doNotTrack: boolean;
  /** Set by `excludeAllMetrics()` (and the metrics endpoint): no metrics at all. */
  excludeAll: boolean;
  /** True when no route (or operation) answered the request: a 404 fall-through. */
  unmatched: boolean;
  /** Spec mode: the operationId that handled the request. */
  operationId?: string;
  /** Spec mode: the OpenAPI path template of the operation, e.g. `/pets/{petId}`. */
  routeTemplate?: string;
  /** The name of the handler that serves the request, where the router cannot tell. */
  endpoint?: string;
  /** An unhandled error reached the end of the app (counted in `_exceptions_total`). */
  exception?: unknown;
  /**
   * The status recorded for `exception` when the server chose to send another than 500 (a handler
   * that did not answer in time gets a 503). @default 500
   */
  exceptionStatus?: number;
  /** Spec mode: what the handler returned, before conversion (for `response.body.*` labels). */
  result?: unknown;
  /** Hooks run once when the response ends. */
  endHooks?: EndHook[];
  /** The trace the request belongs to, read when it entered the app (exemplars). */
  trace?: TraceContext;
}

const STATE = Symbol('spectrometer.requestState');

type WithState = IncomingMessage & { [STATE]?: RequestState };

/** The state of a request that entered an instrumented app, if any. */
export function getRequestState(req: IncomingMessage): RequestState | undefined {
  return (req as WithState)[STATE];
}

/** The state of a request, created on first use. */
export function ensureRequestState(req: IncomingMessage): RequestState {
  const holder = req as WithState;
  let state = holder[STATE];
  if (!state) {
    // Every field from the start: one shape for every request, no growing it on the way.
    state = {
      startTime: process.hrtime.bigint(),
      doNotTrack: false,
      excludeAll: false,
      unmatched: false,
      operationId: undefined,
      routeTemplate: undefined,
      endpoint: undefined,
      exception: undefined,
      exceptionStatus: undefined,
      result: undefined,
      endHooks: undefined,
      trace: undefined,
    };
    holder[STATE] = state;
  }
  return state;
}

/** Runs `hook` once when the response of `req` ends: finished, or aborted by the client. */
export function onResponseEnd(req: IncomingMessage, res: ServerResponse, hook: EndHook): void {
  const state = ensureRequestState(req);
  if (state.endHooks) {
    state.endHooks.push(hook);
    return;
  }
  state.endHooks = [hook];
  // Node emits 'close' on every response: right after 'finish', or when the client goes away
  // first (then `writableFinished` is false). One shared listener covers both; it finds the
  // request through `res.req` (Node sets it), so no closure is made per request.
  if ((res as { req?: IncomingMessage }).req === req) res.on('close', endOfResponse);
  else res.on('close', () => runEndHooks(req, res));
}

function endOfResponse(this: ServerResponse): void {
  runEndHooks(this.req, this);
}

function runEndHooks(req: IncomingMessage, res: ServerResponse): void {
  const state = getRequestState(req);
  const hooks = state?.endHooks;
  if (!state || !hooks) return;
  const aborted = !res.writableFinished;
  const exception = state.exception !== undefined;
  const outcome: Outcome = {
    // A stream failing after its head is an exception, not a client abort.
    status: exception ? (state.exceptionStatus ?? 500) : aborted ? ABORTED_STATUS : res.statusCode,
    aborted,
    exception,
    endTime: process.hrtime.bigint(),
  };
  for (const run of hooks) {
    try {
      run(outcome, req, res, state);
    } catch {
      // Recording must never crash the server: the listener runs outside any request handler.
    }
  }
}

/** Seconds between two `process.hrtime.bigint()` readings. */
export function secondsBetween(start: bigint, end: bigint): number {
  return Number(end - start) / 1e9;
}
