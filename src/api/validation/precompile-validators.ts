import type { OpenAPIV3 } from 'openapi-types';
import type { BootProblem } from '../../errors';
import { escapePointerToken } from '../../openapi/json-pointer';
import type { RoutedOperation } from '../types';
import type { EovRequestValidator } from '../../adapters/express-openapi-validator';

/**
 * Compiles an operation's request validators now, once per media type its body declares, where
 * express-openapi-validator would compile them on the first such request; returns what ajv
 * could not compile as boot problems.
 * @example
 * compileRequestValidators(op, schema, () => requestValidator) // []
 */
export function compileRequestValidators(
  op: RoutedOperation,
  schema: unknown,
  validatorFor: (mediaType: string | undefined) => EovRequestValidator,
): BootProblem[] {
  const body = op.operation.requestBody as OpenAPIV3.RequestBodyObject | undefined;
  const mediaTypes = Object.keys(body?.content ?? {}).filter((type) => !type.includes('*'));
  const problems: BootProblem[] = [];
  for (const mediaType of mediaTypes.length ? mediaTypes : [undefined]) {
    try {
      // Filed where the validator looks for them on such requests.
      validatorFor(mediaType).compile(op.method, op.routePath, schema, mediaType);
    } catch (error) {
      problems.push({
        operationId: op.operationId,
        method: op.method,
        path: op.path,
        pointer: mediaType
          ? `${op.pointer}/requestBody/content/${escapePointerToken(mediaType)}`
          : op.pointer,
        message: `the request schemas${mediaType ? ` for ${mediaType}` : ''} cannot be compiled: ${(error as Error).message}`,
        hint: 'fix the schema; JSON Schema draft 4 for OpenAPI 3.0, 2020-12 for 3.1',
      });
    }
  }
  return problems;
}
