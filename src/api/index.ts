// The api layer's surface; src/index.ts re-exports the public part.
export { createApi, PIPELINE } from './boot/create-api';
export type { Api, ApiRuntime } from './boot/create-api';
export type {
  CreateApiOptions,
  ValidationOptions,
  MissingHandler,
  ApiLabelFunction,
  Logger,
} from './boot/api-options';
export type {
  Handler,
  Handlers,
  HandlerContext,
  SecurityHandler,
  SecurityHandlers,
} from './request/handler-context';
export type {
  AfterHandlerHook,
  HandledExchange,
  PipelineStep,
  Exchange,
  StepFactory,
} from './request/pipeline';
export type { RoutedOperation } from './types';
export { HttpProblem, sendProblem } from './response/http-problem';
export type { ProblemDetails, ProblemIssue } from './response/http-problem';
