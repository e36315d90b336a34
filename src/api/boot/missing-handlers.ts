import type { OpenAPIV3 } from 'openapi-types';
import type { MissingHandler } from './api-options';
import type { Handler } from '../request/handler-context';
import { HttpProblem } from '../response/http-problem';
import { mockResult } from '../response/mock-response';

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
    return function answerFromExamples() {
      return mockResult(operation);
    };
  }
  return function answerWith501() {
    throw new HttpProblem({ status: 501, detail: `operation ${operationId} has no handler yet` });
  };
}
