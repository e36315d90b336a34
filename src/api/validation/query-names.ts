import type { Request, Response } from 'express';
import { parse as parseQueryString } from 'node:querystring';
import type { OpenAPIV3 } from 'openapi-types';
import type { RoutedOperation } from '../types';
import { exposeRouteToQueryParser } from '../../adapters/express-openapi-validator';

/** An issue in express-openapi-validator's shape, so it merges with the validator's own. */
export interface QueryNameIssue {
  path: string;
  message: string;
  errorCode: string;
}

const NO_ISSUES: readonly QueryNameIssue[] = Object.freeze([]);

/**
 * Builds the check for undeclared and empty query parameters of an operation. The validator stops
 * at the first such parameter; checking them here lets a 400 list them beside every schema issue.
 * @example
 * buildQueryNameCheck(operation, document, false)?.(req) // [{ path: '/query/color', ... }]
 */
export function buildQueryNameCheck(
  op: RoutedOperation,
  document: OpenAPIV3.Document,
  allowUnknown: boolean,
): (req: Request) => readonly QueryNameIssue[] {
  const extension = (op.operation as Record<string, unknown>)[
    'x-eov-allow-unknown-query-parameters'
  ];
  const query = op.parameters.filter((p) => p.in === 'query');
  const openObject = query.some((p) => {
    const schema = p.schema as OpenAPIV3.SchemaObject | undefined;
    return schema?.type === 'object' && schema.additionalProperties;
  });
  const skipUnknown = (typeof extension === 'boolean' ? extension : allowUnknown) || openObject;
  const known = new Set(query.map((p) => p.name));
  // A form-exploded object sends its properties as parameters of their own (`?min=1&max=9`).
  for (const p of query) {
    const schema = p.schema as OpenAPIV3.SchemaObject | undefined;
    if ((p.style ?? 'form') === 'form' && p.explode !== false && schema?.properties)
      for (const property of Object.keys(schema.properties)) known.add(property);
  }
  const schemes = document.components?.securitySchemes ?? {};
  for (const name of op.security.flatMap((r) => Object.keys(r))) {
    const scheme = schemes[name] as OpenAPIV3.SecuritySchemeObject | undefined;
    if (scheme?.type === 'apiKey' && scheme.in === 'query') known.add(scheme.name);
  }
  const allowEmpty = new Set(query.filter((p) => p.allowEmptyValue).map((p) => p.name));
  return function checkQueryNames(req) {
    if (!req.originalUrl.includes('?')) return NO_ISSUES;
    const issues: QueryNameIssue[] = [];
    for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
      // deepObject (`f[min]=5`) under Express 5's simple query parser: the parameter is `f`.
      const bracket = known.has(key) ? -1 : key.indexOf('[');
      const name = bracket > 0 ? key.slice(0, bracket) : key;
      if (!known.has(name)) {
        if (!skipUnknown)
          issues.push({
            path: `/query/${name}`,
            message: `unknown query parameter '${name}'`,
            errorCode: 'unknown',
          });
      } else if (value === '' && !allowEmpty.has(name)) {
        issues.push({
          path: `/query/${name}`,
          message: `empty value for query parameter '${name}'`,
          errorCode: 'allowEmptyValue',
        });
      }
    }
    return issues;
  };
}

/**
 * Keeps query parameters declared with brackets in their name (`page[size]`) as named. The
 * validator reads `a[b]=c` as a nested object unless the name is declared, but looks the
 * declaration up through the query object, where nothing puts it; it is put there (hidden) for
 * the operations that need it. Their query is read as written, as Express 5's default parser
 * does: the app's parser may have nested `page[size]` already (Express 4's default does).
 * @example
 * const validate = keepLiteralBracketNames(operation, validateRequest);
 */
export function keepLiteralBracketNames(
  op: RoutedOperation,
  validate: (req: Request, res: Response) => void,
): (req: Request, res: Response) => void {
  if (!op.parameters.some((p) => p.in === 'query' && p.name.includes('['))) return validate;
  return function validateWithLiteralBrackets(req, res) {
    const start = req.originalUrl.indexOf('?');
    if (start < 0) return validate(req, res);
    const query = parseQueryString(req.originalUrl.slice(start + 1));
    exposeRouteToQueryParser(req, query);
    Object.defineProperty(req, 'query', { value: query, writable: true, configurable: true });
    validate(req, res);
  };
}
