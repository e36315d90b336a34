import type { OpenAPIV3 } from 'openapi-types';
import type { MissingHandler } from './api-options';
import type { Handler } from './handler-context';
import { HttpProblem } from './http-problem';

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
    // TEMP until mock-response.ts lands: loaded lazily so the rest compiles without it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { mockResult } = require('./mock-response') as {
      mockResult: (op: OpenAPIV3.OperationObject) => unknown;
    };
    return function answerFromExamples() {
      return mockResult(operation);
    };
  }
  return function answerNotImplemented() {
    throw new HttpProblem({ status: 501, detail: `operation ${operationId} has no handler yet` });
  };
}
