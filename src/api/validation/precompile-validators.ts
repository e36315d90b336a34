import type { OpenAPIV3 } from 'openapi-types';
import type { BootProblem } from '../../errors';
import type { EovContentType, EovRequestValidator } from './prepared-request-validation';
import type { RoutedOperation } from '../boot/routed-operation';

/** express-openapi-validator's RequestValidator with the parts that build and cache validators. */
export type CompilingRequestValidator = EovRequestValidator & {
  middlewareCache: Record<string, unknown>;
  buildMiddleware(path: string, schema: unknown, contentType: unknown, key: string): unknown;
};

/**
 * Compiles an operation's request validators now, once per media type its body declares, where
 * express-openapi-validator would compile them on the first such request; returns what ajv
 * could not compile as boot problems.
 * @example
 * compileRequestValidators(op, schema, () => requestValidator, ContentType) // []
 */
export function compileRequestValidators(
  op: RoutedOperation,
  schema: unknown,
  validatorFor: (mediaType: string | undefined) => CompilingRequestValidator,
  ContentType: EovContentType,
): BootProblem[] {
  const body = op.operation.requestBody as OpenAPIV3.RequestBodyObject | undefined;
  const mediaTypes = Object.keys(body?.content ?? {}).filter((type) => !type.includes('*'));
  const problems: BootProblem[] = [];
  for (const mediaType of mediaTypes.length ? mediaTypes : [undefined]) {
    const contentType = new ContentType(mediaType);
    const validator = validatorFor(mediaType);
    // The key express-openapi-validator files the validators under for such requests.
    const key = `${op.method.toUpperCase()}-${op.routePath}-${contentType.normalize() ?? 'not_provided'}`;
    try {
      validator.middlewareCache[key] ??= validator.buildMiddleware(
        op.routePath,
        schema,
        contentType,
        key,
      );
    } catch (error) {
      problems.push({
        operationId: op.operationId,
        method: op.method,
        path: op.path,
        pointer: mediaType
          ? `${op.pointer}/requestBody/content/${escapePointer(mediaType)}`
          : op.pointer,
        message: `the request schemas${mediaType ? ` for ${mediaType}` : ''} cannot be compiled: ${(error as Error).message}`,
        hint: 'fix the schema; JSON Schema draft 4 for OpenAPI 3.0, 2020-12 for 3.1',
      });
    }
  }
  return problems;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
