import type { IncomingMessage } from 'node:http';

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
  /** An unhandled error reached the end of the app (counted in `_exceptions_total`). */
  exception?: unknown;
  /** Spec mode: what the handler returned, before conversion (for `response.body.*` labels). */
  result?: unknown;
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
    state = {
      startTime: process.hrtime.bigint(),
      doNotTrack: false,
      excludeAll: false,
      unmatched: false,
    };
    holder[STATE] = state;
  }
  return state;
}
