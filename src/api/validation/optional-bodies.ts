// An optional request body, as OpenAPI means it: `required` defaults to false, and an empty body
// is no body whatever its Content-Type. express-openapi-validator reads both differently.
import type { Request, Response } from 'express';
import type { OpenAPIV3 } from 'openapi-types';
import { hasBody } from '../request/body-parsers';
import type { RoutedOperation } from '../types';

/**
 * Writes out `required: false` where a `requestBody` leaves it out: express-openapi-validator treats
 * a missing `required` as true (a missing required body is answered by the body step).
 * @example
 * withOptionalBodiesMarked(structuredClone(document))
 */
export function withOptionalBodiesMarked(document: OpenAPIV3.Document): OpenAPIV3.Document {
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(pathItem ?? {})) {
      const body = (operation as { requestBody?: { required?: boolean } } | undefined)?.requestBody;
      if (body && typeof body === 'object' && body.required === undefined) body.required = false;
    }
  }
  return document;
}

/**
 * An optional body left empty is no body, whatever its Content-Type says. The validator would
 * still check `undefined` against the media type's schema, and read a schema's own `required`
 * list as "the body is required".
 */
export function withoutEmptyOptionalBody(
  operation: RoutedOperation,
  validate: (req: Request, res: Response) => void,
): (req: Request, res: Response) => void {
  const body = operation.operation.requestBody as OpenAPIV3.RequestBodyObject | undefined;
  if (!body || body.required === true) return validate;
  return function validateOptionalBody(req, res) {
    const contentType = req.headers['content-type'];
    if (contentType === undefined || hasBody(req)) return validate(req, res);
    delete req.headers['content-type'];
    try {
      validate(req, res);
    } finally {
      req.headers['content-type'] = contentType;
    }
  };
}
