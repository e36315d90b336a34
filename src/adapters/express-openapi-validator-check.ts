import type { ErrorObject } from 'ajv';
import type { Request, RequestHandler, Response } from 'express';
import {
  checkReliances,
  isClass,
  isMethod,
  type Dependency,
  type Reliance,
} from './dependency-check';

// What the express-openapi-validator adapter relies on: the deep modules it loads and every
// internal of them it uses, checked when the adapter is first loaded (createApi, loadSpec) and
// pinned one by one by test/adapters. Instances are checked where the adapter creates them.

/**
 * The package and the versions this adapter supports (package.json's range, pinned by a test):
 * 5.5.7 is the first whose query parser reads `query._openapi`, 5.4 files validators under other
 * keys; 5.6.2 is the newest release tried.
 */
export const EXPRESS_OPENAPI_VALIDATOR: Dependency = {
  name: 'express-openapi-validator',
  range: '>=5.5.7 <5.7.0',
};

const DIST = 'express-openapi-validator/dist';

/** The exports of the package's deep modules that the adapter loads (stubs stand in in tests). */
export interface EovModules {
  OpenApiValidator?: unknown;
  RequestValidator?: unknown;
  ResponseValidator?: unknown;
  ContentType?: unknown;
  OpenAPISchemaValidator?: unknown;
  RequestParameterMutator?: unknown;
}

declare const COMPILED: unique symbol;
/** The response validators compiled for one operation: opaque, handed back to validate. */
export interface ResponseValidators {
  readonly [COMPILED]: 'express-openapi-validator response validators';
}

/** An ajv validate function, as compiled by the validator. */
export type AjvValidate = ((data: unknown) => boolean) & { errors?: unknown };

export interface RawAjv {
  getSchema(key: string): AjvValidate | undefined;
  addSchema(schema: object, key: string): unknown;
  formats: Record<string, unknown>;
}
export interface RawOpenApiValidator {
  ajvOpts: { request: object; response?: object };
  multipartMiddleware(apiDoc: object): RequestHandler;
}
export interface RawRequestValidator {
  ajv: RawAjv;
  ajvBody: RawAjv;
  middlewareCache: Record<string, unknown>;
  validate(req: Request, res: Response, next: (err?: unknown) => void): void;
  buildMiddleware(path: string, schema: unknown, contentType: unknown, key: string): unknown;
}
export interface RawResponseValidator {
  ajvBody: RawAjv;
  _getOrBuildValidator(req: Request, responses: unknown): ResponseValidators;
  buildValidators(responses: unknown, key: string): unknown;
  _validate(args: {
    validators: ResponseValidators;
    body: unknown;
    statusCode: number;
    path: string;
    accepts: string[];
  }): void;
}
export type RawContentType = new (header: string | undefined) => {
  mediaType: string | null;
  normalize(): string | undefined;
};
export type RawSchemaValidator = new (options: { version: string; validateApiSpec: boolean }) => {
  validate(document: unknown): { errors: ErrorObject[] };
};

/** The package's classes, once checked. */
export interface EovClasses {
  OpenApiValidator: new (options: object) => RawOpenApiValidator;
  RequestValidator: new (apiDoc: object, ajvOptions: object) => RawRequestValidator;
  ResponseValidator: new (
    apiDoc: object,
    ajvOptions: object,
    eovOptions: object,
    serial: number,
  ) => RawResponseValidator;
  ContentType: RawContentType;
  OpenAPISchemaValidator: RawSchemaValidator;
}

const proto = (value: unknown): unknown => (value as { prototype?: unknown }).prototype;

/** The key the request validator files an operation's middleware and ajv schemas under. */
export function cacheKey(
  method: string,
  expressRoute: string,
  contentType: InstanceType<RawContentType>,
) {
  return `${method.toUpperCase()}-${expressRoute}-${contentType.normalize() ?? 'not_provided'}`;
}

// Calls RequestValidator#validate on an object holding only a cached middleware: it must find it
// under our key, reading `req.openapi.expressRoute`, without building one.
function validatesFromCache(RequestValidator: unknown): boolean {
  const key = 'POST-/probe/:id-application/json';
  let found = false;
  const probe = Object.create(proto(RequestValidator) as object, {
    middlewareCache: { value: { [key]: () => (found = true) } },
    buildMiddleware: { value: () => undefined },
  }) as RawRequestValidator;
  const req = {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    openapi: { expressRoute: '/probe/:id', schema: {} },
  };
  probe.validate(req as unknown as Request, {} as Response, () => undefined);
  return found;
}

// Runs the query parser's bracket handling on `?a[b]=1` with `a[b]` declared through
// `query._openapi`: the name must stay a name (releases before 5.5.7 made it `{ a: { b } }`).
function keepsDeclaredBracketNames(RequestParameterMutator: unknown): boolean {
  const query: Record<string, unknown> = { 'a[b]': '1' };
  const schema = { operationId: 'spectrometer-probe', parameters: [{ name: 'a[b]', in: 'query' }] };
  Object.defineProperty(query, '_openapi', { value: { schema } });
  const mutator = proto(RequestParameterMutator) as {
    handleBracketNotationQueryFields(query: object): Record<string, unknown>;
  };
  const parsed = mutator.handleBracketNotationQueryFields.call(null, query);
  return parsed['a[b]'] === '1' && !('a' in parsed);
}

const MODULE_RELIANCES: readonly Reliance<EovModules>[] = [
  {
    internal: `OpenApiValidator (class) from ${DIST}/openapi.validator`,
    holds: (m) => isClass(m.OpenApiValidator),
  },
  {
    internal: 'OpenApiValidator.prototype.multipartMiddleware(apiDoc)',
    holds: (m) => isMethod(proto(m.OpenApiValidator), 'multipartMiddleware', 1),
  },
  {
    internal: `RequestValidator (class) from ${DIST}/middlewares/openapi.request.validator`,
    holds: (m) => isClass(m.RequestValidator),
  },
  {
    internal: 'RequestValidator.prototype.validate(req, res, next)',
    holds: (m) => isMethod(proto(m.RequestValidator), 'validate', 3),
  },
  {
    internal:
      'RequestValidator.prototype.buildMiddleware(path, reqSchema, contentType, ajvCacheKey)',
    holds: (m) => isMethod(proto(m.RequestValidator), 'buildMiddleware', 4),
  },
  {
    internal:
      'RequestValidator.prototype.validate finds middlewareCache["<METHOD>-<req.openapi.expressRoute>-<content type>"]',
    holds: (m) => validatesFromCache(m.RequestValidator),
  },
  {
    internal: `RequestParameterMutator (class) from ${DIST}/middlewares/parsers/req.parameter.mutator`,
    holds: (m) => isClass(m.RequestParameterMutator),
  },
  {
    internal:
      'RequestParameterMutator.prototype.handleBracketNotationQueryFields(query) keeps the bracket names query._openapi declares',
    holds: (m) => keepsDeclaredBracketNames(m.RequestParameterMutator),
  },
  {
    internal: `ResponseValidator (class) from ${DIST}/middlewares/openapi.response.validator`,
    holds: (m) => isClass(m.ResponseValidator),
  },
  {
    internal: 'ResponseValidator.prototype._getOrBuildValidator(req, responses)',
    holds: (m) => isMethod(proto(m.ResponseValidator), '_getOrBuildValidator', 2),
  },
  {
    internal: 'ResponseValidator.prototype.buildValidators(responses, ajvCacheKey)',
    holds: (m) => isMethod(proto(m.ResponseValidator), 'buildValidators', 2),
  },
  {
    internal:
      'ResponseValidator.prototype._validate({ validators, body, statusCode, path, accepts })',
    holds: (m) => isMethod(proto(m.ResponseValidator), '_validate', 1),
  },
  {
    internal: `ContentType (class) from ${DIST}/middlewares/util, with mediaType and normalize()`,
    holds: (m) => {
      const type = new (m.ContentType as RawContentType)('Application/JSON; charset=UTF-8');
      return type.mediaType === 'application/json' && typeof type.normalize() === 'string';
    },
  },
  {
    internal: `OpenAPISchemaValidator (class) from ${DIST}/framework/openapi.schema.validator`,
    holds: (m) => isClass(m.OpenAPISchemaValidator),
  },
  {
    internal: 'OpenAPISchemaValidator.prototype.validate(openapiDoc)',
    holds: (m) => isMethod(proto(m.OpenAPISchemaValidator), 'validate', 1),
  },
];

const isAjv = (ajv: unknown): boolean =>
  isMethod(ajv, 'getSchema', 1) && isMethod(ajv, 'addSchema');

export const SETUP_RELIANCES: readonly Reliance<RawOpenApiValidator>[] = [
  {
    internal: 'OpenApiValidator#ajvOpts.request (ajv options object)',
    holds: (v) => typeof v.ajvOpts.request === 'object',
  },
];
export const REQUEST_VALIDATOR_RELIANCES: readonly Reliance<RawRequestValidator>[] = [
  {
    internal: 'RequestValidator#middlewareCache (object)',
    holds: (v) => typeof v.middlewareCache === 'object',
  },
  { internal: 'RequestValidator#ajv (ajv instance)', holds: (v) => isAjv(v.ajv) },
  { internal: 'RequestValidator#ajvBody (ajv instance)', holds: (v) => isAjv(v.ajvBody) },
  {
    internal: 'RequestValidator#ajv.formats (object)',
    holds: (v) => typeof v.ajv.formats === 'object',
  },
];
export const RESPONSE_VALIDATOR_RELIANCES: readonly Reliance<RawResponseValidator>[] = [
  { internal: 'ResponseValidator#ajvBody (ajv instance)', holds: (v) => isAjv(v.ajvBody) },
];

/** Every internal the adapter relies on, by the object it is checked on (for tests and docs). */
export const EOV_RELIANCES = {
  modules: MODULE_RELIANCES,
  openApiValidator: SETUP_RELIANCES,
  requestValidator: REQUEST_VALIDATOR_RELIANCES,
  responseValidator: RESPONSE_VALIDATOR_RELIANCES,
} as const;

/**
 * Checks the loaded modules against every internal the adapter relies on.
 * @throws SpectrometerError `SPM_DEPENDENCY` listing each missing or changed internal
 * @example
 * const classes = checkEov(requireEovModules());
 */
export function checkEov(modules: EovModules, version?: string): EovClasses {
  checkReliances(EXPRESS_OPENAPI_VALIDATOR, modules, MODULE_RELIANCES, version);
  return modules as EovClasses;
}

/**
 * Requires the deep modules the adapter uses; a module that no longer exists leaves its export
 * undefined, for `checkEov` to report.
 * @example
 * requireEovModules().RequestValidator
 */
export function requireEovModules(): EovModules {
  return {
    OpenApiValidator: requireExport(`${DIST}/openapi.validator`, 'OpenApiValidator'),
    RequestValidator: requireExport(
      `${DIST}/middlewares/openapi.request.validator`,
      'RequestValidator',
    ),
    ResponseValidator: requireExport(
      `${DIST}/middlewares/openapi.response.validator`,
      'ResponseValidator',
    ),
    ContentType: requireExport(`${DIST}/middlewares/util`, 'ContentType'),
    OpenAPISchemaValidator: requireExport(
      `${DIST}/framework/openapi.schema.validator`,
      'OpenAPISchemaValidator',
    ),
    RequestParameterMutator: requireExport(
      `${DIST}/middlewares/parsers/req.parameter.mutator`,
      'RequestParameterMutator',
    ),
  };
}

function requireExport(path: string, name: string): unknown {
  try {
    return (require(path) as Record<string, unknown>)[name];
  } catch (error) {
    const notFound = (error as { code?: string }).code === 'MODULE_NOT_FOUND';
    if (notFound && String((error as Error).message).includes(path)) return undefined;
    throw error;
  }
}
