import { createContext } from './handler-context';
import type { AfterHandlerHook, PipelineStep } from './pipeline';

/**
 * The step that calls the operation's handler with its context and keeps the result for the
 * converter and for metrics (`state.result`).
 * @example
 * runHandler({ req, res, operation, state })
 */
export const runHandler: PipelineStep = (exchange) => {
  const { req, res, operation, state } = exchange;
  const ctx = createContext(operation.operationId, req, res);
  exchange.ctx = ctx;
  const result = operation.handler(ctx);
  if (isPromiseLike(result)) {
    return Promise.resolve(result).then((value) => {
      exchange.result = value;
      state.result = value;
    });
  }
  exchange.result = result;
  state.result = result;
  return undefined;
};

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
