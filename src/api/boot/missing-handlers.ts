import type { OpenAPIV3 } from 'openapi-types';
import type { MissingHandler } from './api-options';
import type { Handler } from '../request/handler-context';
import { HttpProblem } from '../response/http-problem';
import { chooseMockResponse, mockResult } from '../response/mock-response';
import type { PipelineStep } from '../request/pipeline';
import type { RoutedOperation } from '../types';
import { readPreference } from '../response/mock-preference';

const MOCKS = new WeakSet<Handler>();

/**
 * Builds the step that checks a mock's `Prefer` header before anything is answered, so a status
 * or example the operation does not declare is the client's 400 problem (never checked against
 * the operation's own responses). Only for operations a mock stands in for.
 * @example
 * buildPreferenceStep(operation) // undefined when the operation has a handler
 */
export function buildPreferenceStep(operation: RoutedOperation): PipelineStep | undefined {
  if (!MOCKS.has(operation.handler)) return undefined;
  return function checkPreference({ req }) {
    const preference = readPreference(req.headers.prefer);
    if (preference.code !== undefined || preference.example !== undefined)
      chooseMockResponse(operation.operation, preference, operation.operationId);
  };
}

/**
 * The stand-in for an operation without a handler: a 501 problem, or the spec's example answer.
 * @example
 * createStandIn('listPets', operation, 'not-implemented')(ctx) // throws HttpProblem(501)
 */
export function createStandIn(
  operationId: string,
  operation: OpenAPIV3.OperationObject,
  mode: Exclude<MissingHandler, 'error'>,
): Handler {
  if (mode === 'mock') {
    const answerFromExamples: Handler = ({ headers }) =>
      mockResult(operation, readPreference(headers.prefer), operationId);
    MOCKS.add(answerFromExamples);
    return answerFromExamples;
  }
  return function answerWith501() {
    throw new HttpProblem({ status: 501, detail: `operation ${operationId} has no handler yet` });
  };
}
