import type { ErrorObject } from 'ajv';
import type { Request, RequestHandler, Response } from 'express';
import { checkReliances, type Reliance } from './dependency-check';
import {
  EXPRESS_OPENAPI_VALIDATOR,
  REQUEST_VALIDATOR_RELIANCES,
  RESPONSE_VALIDATOR_RELIANCES,
  SETUP_RELIANCES,
  cacheKey,
  checkEov,
  requireEovModules,
  type AjvValidate,
  type EovClasses,
  type RawContentType,
  type RawRequestValidator,
  type RawResponseValidator,
  type ResponseValidators,
} from './express-openapi-validator-check';

// express-openapi-validator's public middleware re-matches every request against every route and
// hops through a promise per stage; spectrometer routes requests itself and drives the validator's
// classes directly, which are not its public API. This adapter is the only way into the package:
// a typed surface here, every internal it relies on checked in ./express-openapi-validator-check.

export { EXPRESS_OPENAPI_VALIDATOR, type AjvValidate, type ResponseValidators };

/** express-openapi-validator's options as ajv options, and its multipart parser. */
export interface EovSetup {
  /** ajv options of request validators. */
  requestAjvOptions: object;
  /** ajv options of response validators. */
  responseAjvOptions: object;
  /** The multipart (multer) middleware for a document. */
  multipartMiddleware(apiDoc: object): RequestHandler;
}

/** The ajv validators compiled for requests of one operation and content type. */
export interface CompiledRequestValidators {
  /** Parameters: path, query, headers, cookies. */
  general: AjvValidate;
  body: AjvValidate;
}

/** A request validator for a whole document; operations compile on first use. */
export interface EovRequestValidator {
  /** Validates a routed request (see {@link buildRouteMarker}); throws the validator's HttpError. */
  validate(req: Request, res: Response): void;
  /** Compiles what `validate` would for such requests, now; throws what ajv cannot compile. */
  compile(method: string, expressRoute: string, schema: unknown, contentType?: string): void;
  /** The ajv validators compiled for such requests; none for multipart, which is reshaped first. */
  compiledFor(
    method: string,
    expressRoute: string,
    contentType: string | undefined,
  ): CompiledRequestValidators | undefined;
  /** Adds a schema under `id` to every ajv instance of the validator. */
  addSchema(schema: object, id: string): void;
  /** The formats its ajv knows. */
  formatNames(): string[];
}

/** What a response is checked with. */
export interface CheckedResponse {
  status: number;
  contentType: string;
  body: unknown;
  /** The request URL, for the error. */
  path: string;
}

/** A response validator for a whole document. */
export interface EovResponseValidator {
  /** Compiles the validators of an operation's `responses` now; throws what ajv cannot compile. */
  compile(responses: unknown, key: string): void;
  /** The validators of a routed request's operation, compiled on first use (throws as `compile`). */
  validatorsFor(req: Request, responses: unknown): ResponseValidators;
  /** Validates a response; throws the validator's HttpError. */
  validate(validators: ResponseValidators, response: CheckedResponse): void;
  /** Adds a schema under `id` to its ajv. */
  addSchema(schema: object, id: string): void;
}

/** express-openapi-validator, checked and typed. */
export interface Eov {
  /** Normalises validator options (`validateRequests`, `validateResponses`, ...). */
  createSetup(options: object): EovSetup;
  createRequestValidator(apiDoc: object, ajvOptions: object): EovRequestValidator;
  createResponseValidator(apiDoc: object, ajvOptions: object): EovResponseValidator;
  /** A validator of documents against the official OpenAPI 3.0 / 3.1 JSON Schema. */
  createSchemaValidator(version: string): (document: unknown) => ErrorObject[];
}

let eov: Eov | undefined;

/**
 * Loads express-openapi-validator's internals on first use (so `require('spectrometer')` for
 * PrometheusMetrics alone stays light) and checks every one the adapter relies on.
 * @throws SpectrometerError `SPM_DEPENDENCY` naming the package, its version, the range and
 * what is missing
 * @example
 * const validator = loadEov().createRequestValidator(document, ajvOptions);
 */
export function loadEov(): Eov {
  eov ??= createEov(checkEov(requireEovModules()));
  return eov;
}

/**
 * The typed surface over checked classes (`loadEov` uses the installed ones).
 * @example
 * createEov(checkEov(requireEovModules())).createSchemaValidator('3.1.0')
 */
export function createEov(classes: EovClasses): Eov {
  const { OpenApiValidator, RequestValidator, ResponseValidator, ContentType } = classes;
  return {
    createSetup(options) {
      const validator = checked(new OpenApiValidator(options), SETUP_RELIANCES);
      return {
        requestAjvOptions: validator.ajvOpts.request,
        responseAjvOptions: validator.ajvOpts.response ?? {},
        multipartMiddleware: (apiDoc) => validator.multipartMiddleware(apiDoc),
      };
    },
    createRequestValidator: (apiDoc, ajvOptions) =>
      wrapRequestValidator(
        checked(new RequestValidator(apiDoc, ajvOptions), REQUEST_VALIDATOR_RELIANCES),
        ContentType,
      ),
    createResponseValidator: (apiDoc, ajvOptions) =>
      wrapResponseValidator(
        checked(
          new ResponseValidator(apiDoc, ajvOptions, {}, SERIAL),
          RESPONSE_VALIDATOR_RELIANCES,
        ),
      ),
    createSchemaValidator(version) {
      const validator = new classes.OpenAPISchemaValidator({ version, validateApiSpec: true });
      return (document) => validator.validate(document).errors;
    },
  };
}

function checked<T>(instance: T, reliances: readonly Reliance<T>[]): T {
  checkReliances(EXPRESS_OPENAPI_VALIDATOR, instance, reliances);
  return instance;
}

function wrapRequestValidator(
  validator: RawRequestValidator,
  ContentType: RawContentType,
): EovRequestValidator {
  return {
    validate(req, res) {
      validator.validate(req, res, (err) => {
        if (err) throw err;
      });
    },
    compile(method, expressRoute, schema, header) {
      const contentType = new ContentType(header);
      const key = cacheKey(method, expressRoute, contentType);
      validator.middlewareCache[key] ??= validator.buildMiddleware(
        expressRoute,
        schema,
        contentType,
        key,
      );
    },
    compiledFor(method, expressRoute, header) {
      const contentType = new ContentType(header);
      if (contentType.mediaType === 'multipart/form-data') return undefined;
      const key = cacheKey(method, expressRoute, contentType);
      const general = validator.ajv.getSchema(key);
      const body = validator.ajvBody.getSchema(key);
      return general && body ? { general, body } : undefined;
    },
    addSchema(schema, id) {
      validator.ajv.addSchema(schema, id);
      validator.ajvBody.addSchema(schema, id);
    },
    formatNames: () => Object.keys(validator.ajv.formats),
  };
}

function wrapResponseValidator(validator: RawResponseValidator): EovResponseValidator {
  return {
    compile(responses, key) {
      validator.buildValidators(responses, key);
    },
    validatorsFor: (req, responses) => validator._getOrBuildValidator(req, responses),
    validate(validators, { status, contentType, body, path }) {
      validator._validate({ validators, body, statusCode: status, path, accepts: [contentType] });
    },
    addSchema(schema, id) {
      validator.ajvBody.addSchema(schema, id);
    },
  };
}

// What the validator's own router puts on `req.openapi`; only its middleware reads `serial`.
const SERIAL = 0;

/** The operation a request is routed to, as express-openapi-validator's router describes it. */
export interface EovRoute {
  /** The Express path it is served on, e.g. `/pets/:petId` (part of the validator's cache keys). */
  expressRoute: string;
  /** The OpenAPI path template, e.g. `/pets/{petId}`. */
  openApiRoute: string;
  /** The operation in the request validator's document. */
  schema: unknown;
  /** The operation in the response validator's document, when responses are validated. */
  responseSchema?: RoutedResponses;
}

/** An operation of the response document: what `responsesOf` gives back. */
export type RoutedResponses = { responses?: unknown } | undefined;

type EovRequest = Request & {
  openapi?: EovRoute & { pathParams: Request['params']; serial: number } & {
    _responseSchema?: RoutedResponses;
  };
};

/**
 * Builds what marks a request as routed to an operation (`req.openapi`), as the validator's own
 * router would: its request validator and parameter parsing read it.
 * @example
 * const markRouted = buildRouteMarker({ expressRoute: '/pets/:id', openApiRoute: '/pets/{id}', schema });
 * markRouted(req);
 */
export function buildRouteMarker(route: EovRoute): (req: Request) => void {
  const { expressRoute, openApiRoute, schema, responseSchema } = route;
  return function markRouted(req) {
    (req as EovRequest).openapi = {
      expressRoute,
      openApiRoute,
      pathParams: req.params,
      schema,
      serial: SERIAL,
      _responseSchema: responseSchema,
    };
  };
}

/**
 * The response document's operation of a request marked by {@link buildRouteMarker}.
 * @example
 * responsesOf(req)?.responses
 */
export function responsesOf(req: Request): RoutedResponses {
  return (req as EovRequest).openapi?._responseSchema;
}

/**
 * Lets the validator's query parsing find the operation's parameter declarations (it reads them
 * from `query._openapi`, which nothing else sets), hidden from enumeration.
 * @example
 * exposeRouteToQueryParser(req, query);
 */
export function exposeRouteToQueryParser(req: Request, query: object): void {
  Object.defineProperty(query, '_openapi', { value: (req as EovRequest).openapi });
}
