import type { Request, Response } from 'express';
import type { RequestState } from '../../metrics/request-state';
import type { HandlerContext } from './handler-context';
import type { RoutedOperation } from '../types';

/** One request on its way through an operation's pipeline. */
export interface Exchange {
  req: Request;
  res: Response;
  operation: RoutedOperation;
  /** Metrics state of the request, shared with PrometheusMetrics. */
  state: RequestState;
  /** The handler context; set by the `runHandler` step. */
  ctx?: HandlerContext;
  /** What the handler returned; set by the `runHandler` step. */
  result?: unknown;
}

/** One step of the pipeline; throwing (or rejecting) ends the request with a problem. */
export type PipelineStep = (exchange: Exchange) => void | Promise<void>;

/**
 * Builds the step for one operation at boot, or `undefined` when the operation does not need it
 * (no security, no body, ...), so requests never pay for steps that do nothing.
 */
export type StepFactory<Runtime> = (
  operation: RoutedOperation,
  runtime: Runtime,
) => PipelineStep | undefined;

/** What an after-handler hook sees: the handler context, its result and the operation. */
export interface HandledExchange {
  ctx: HandlerContext;
  result: unknown;
  operation: RoutedOperation;
}

/**
 * Runs right after a handler returned, before its result is converted into the response
 * (per-operation metrics from x-metrics are recorded from here).
 */
export type AfterHandlerHook = (exchange: HandledExchange) => void | Promise<void>;

/**
 * Runs the steps in order. Synchronous steps run back to back; the first promise switches to
 * asynchronous mode, so a request that needs no I/O never waits for a microtask per step.
 */
export function runSteps(
  steps: readonly PipelineStep[],
  exchange: Exchange,
  from = 0,
): void | Promise<void> {
  for (let i = from; i < steps.length; i++) {
    const pending = (steps[i] as PipelineStep)(exchange);
    if (pending) return pending.then(() => runSteps(steps, exchange, i + 1));
  }
  return undefined;
}
