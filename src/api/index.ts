// The api layer's surface; src/index.ts re-exports the public part.
export { createApi, PIPELINE } from './create-api';
export type { Api, ApiRuntime } from './create-api';
export type {
  CreateApiOptions,
  ValidationOptions,
  MissingHandler,
  ApiLabelFunction,
  Logger,
} from './api-options';
export type {
  Handler,
  Handlers,
  HandlerContext,
  SecurityHandler,
  SecurityHandlers,
} from './handler-context';
export type {
  AfterHandlerHook,
  HandledExchange,
  PipelineStep,
  Exchange,
  StepFactory,
} from './pipeline';
export type { RoutedOperation } from './routed-operation';
export { HttpProblem, sendProblem } from './http-problem';
export type { ProblemDetails, ProblemIssue } from './http-problem';
