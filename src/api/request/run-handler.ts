import { abortContext, createContext } from './handler-context';
import type { AfterHandlerHook, Exchange, PipelineStep } from './pipeline';
import type { RoutedOperation } from '../types';
import { ServerFault } from '../response/error-problems';
import { HttpProblem } from '../response/http-problem';

/** The status a handler that did not answer in time gets, and records in the metrics. */
export const HANDLER_TIMEOUT_STATUS = 503;

/**
 * A handler that has not answered within `handlerTimeoutMs`: the client gets a 503 problem, the
 * request counts as an exception and this error is logged (one line: its stack says nothing).
 */
export class HandlerTimeout extends ServerFault {
  override name = 'HandlerTimeout';
  constructor(detail: string) {
    super(new HttpProblem({ status: HANDLER_TIMEOUT_STATUS, detail }), detail);
    this.stack = `${this.name}: ${detail}`;
  }
}

/**
 * Builds the step that calls the operation's handler with its context and keeps the result for
 * the converter and for metrics (`state.result`). A handler whose promise has not settled after
 * `timeoutMs` (`0`: never) while nothing was sent yet gets a {@link HandlerTimeout}, its
 * `ctx.signal` is aborted with a `TimeoutError` (as `AbortSignal.timeout` does), and whatever it
 * answers later is dropped.
 * @example
 * const runHandler = buildRunHandler(operation, 30_000);
 */
export function buildRunHandler(operation: RoutedOperation, timeoutMs: number): PipelineStep {
  const { operationId, handler } = operation;
  return function runHandler(exchange) {
    const { req, res } = exchange;
    const ctx = createContext(operationId, req, res);
    exchange.ctx = ctx;
    const result = handler(ctx);
    if (!isPromiseLike(result)) {
      keepResult(exchange, result);
      return undefined;
    }
    if (timeoutMs <= 0) return Promise.resolve(result).then((value) => keepResult(exchange, value));
    return raceTimeout(result, exchange, timeoutMs, () => {
      const detail = `operation ${operationId} did not answer within ${timeoutMs} ms`;
      abortContext(ctx, new DOMException(detail, 'TimeoutError'));
      return new HandlerTimeout(detail);
    });
  };
}

function keepResult(exchange: Exchange, result: unknown): void {
  exchange.result = result;
  exchange.state.result = result;
}

/**
 * Settles like the handler's promise, unless `timeoutMs` passes first with nothing sent: then it
 * rejects with the timeout and the handler's late answer (or failure) goes nowhere. A handler
 * that sent the response head itself (a stream it writes) is never cut.
 */
function raceTimeout(
  pending: PromiseLike<unknown>,
  exchange: Exchange,
  timeoutMs: number,
  timeOut: () => HandlerTimeout,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(function onHandlerTimeout() {
      const { res, state } = exchange;
      // Already answering (the handler streams), or nobody left to answer: not ours to cut.
      if (res.headersSent || res.destroyed) return;
      timedOut = true;
      state.exceptionStatus = HANDLER_TIMEOUT_STATUS;
      reject(timeOut());
    }, timeoutMs);
    // A handler that never settles must not keep the process alive on its own.
    timer.unref();
    pending.then(
      (value) => {
        clearTimeout(timer);
        if (timedOut) return;
        keepResult(exchange, value);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * Builds the step running the after-handler hooks (x-metrics records per-operation metrics here).
 * @returns `undefined` when there are no hooks
 */
export function buildAfterHandlerStep(
  hooks: readonly AfterHandlerHook[],
): PipelineStep | undefined {
  if (hooks.length === 0) return undefined;
  return async function runAfterHandler({ ctx, result, operation }) {
    for (const hook of hooks)
      await hook({ ctx: ctx as NonNullable<typeof ctx>, result, operation });
  };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
