import type { Request, Response } from 'express';
import type { OpenAPIV3 } from 'openapi-types';
import type { RoutedOperation } from '../types';
import type {
  CompiledRequestValidators,
  EovRequestValidator,
} from '../../adapters/express-openapi-validator';

// express-openapi-validator compiles its ajv validators once per operation and content type, but
// around them it redoes per request what only the spec decides: it parses the Content-Type into a
// cache key, redefines `req.query`, builds a parameter deserialiser and parses the URL again. For
// an operation whose parameters need no deserialising (no query string, no arrays, objects or
// `content`), none of that changes anything: we call its compiled validators directly and leave
// every other request, and every failure, to the validator itself, so answers stay identical.

// Content types remembered per operation; others (a client varying its header) take the long way.
const MAX_CONTENT_TYPES = 16;

/**
 * Builds request validation of one operation: express-openapi-validator's own, with its compiled
 * validators called directly whenever its per-request preparation would change nothing.
 * @example
 * const validate = prepareRequestValidation(op, () => requestValidator);
 * validate(req, res); // throws the validator's 400 on invalid requests
 */
export function prepareRequestValidation(
  op: RoutedOperation,
  validatorFor: (contentType: string | undefined) => EovRequestValidator,
): (req: Request, res: Response) => void {
  const validateFully = (req: Request, res: Response): void =>
    validatorFor(req.headers['content-type']).validate(req, res);
  if (!op.parameters.every(isPlain)) return validateFully;
  const method = op.method.toUpperCase();
  const byContentType = new Map<string | undefined, CompiledRequestValidators>();
  return function validateRequest(req, res) {
    const header = req.headers['content-type'];
    const compiled = byContentType.get(header);
    if (!compiled || req.method !== method || req.originalUrl.includes('?')) {
      try {
        validateFully(req, res);
      } finally {
        if (!compiled && byContentType.size < MAX_CONTENT_TYPES) remember(req, header);
      }
      return;
    }
    const withCookies = req as Request & { cookies?: object; signedCookies?: object };
    const data = {
      query: {},
      headers: req.headers,
      params: req.params,
      cookies: withCookies.cookies && { ...withCookies.cookies, ...withCookies.signedCookies },
      body: req.body as unknown,
    };
    // Both run, as in the validator, so coercion and defaults apply the same way.
    const valid = compiled.general(data);
    if (!compiled.body(data) || !valid) validateFully(req, res); // its own 400, every issue
  };

  // Looks up the validators express-openapi-validator cached for this request's content type.
  function remember(req: Request, header: string | undefined): void {
    if (req.method !== method) return;
    const compiled = validatorFor(header).compiledFor(method, op.routePath, header);
    if (compiled) byContentType.set(header, compiled);
  }
}

const SCALARS = new Set(['string', 'number', 'integer', 'boolean']);

// Path, header and cookie parameters of a scalar type: nothing for the deserialiser to do.
function isPlain(parameter: OpenAPIV3.ParameterObject): boolean {
  const schema = parameter.schema as OpenAPIV3.SchemaObject | undefined;
  return (
    parameter.in !== 'query' &&
    !parameter.content &&
    !!schema &&
    SCALARS.has(schema.type as string) &&
    !schema.allOf &&
    !schema.oneOf &&
    !schema.anyOf
  );
}
