import type { Request, RequestHandler, Response } from 'express';
import type { OpenAPIV3 } from 'openapi-types';
import { buildQueryNameCheck, keepLiteralBracketNames, type QueryNameIssue } from './query-names';
import {
  prepareRequestValidation,
  type EovContentType,
  type EovRequestValidator,
} from './prepared-request-validation';
import type { RoutedOperation } from './routed-operation';
import { withOptionalBodiesMarked, withoutEmptyOptionalBody } from './optional-bodies';
import { compileRequestValidators, type CompilingRequestValidator } from './precompile-validators';
import type { BootProblem } from '../errors';

// express-openapi-validator's public middleware re-matches every request against every route with
// a freshly compiled path-to-regexp and hops through a promise per stage. Express already routed
// the request to one operation, so we drive its validators directly: same checks (parameters with
// style/explode and coercion, bodies, content types, multipart, responses), none of the re-work.
interface EovValidator {
  options: { validateResponses: object | false };
  ajvOpts: { preprocessor: object; request: object };
  multipartMiddleware(apiDoc: object): RequestHandler;
}
interface EovResponseValidator {
  _getOrBuildValidator(req: Request, responses: unknown): unknown;
  _validate(args: {
    validators: unknown;
    body: unknown;
    statusCode: number;
    path: string;
    accepts: string[];
  }): void;
}

interface EovClasses {
  OpenApiValidator: new (options: object) => EovValidator;
  RequestValidator: new (apiDoc: object, ajvOptions: object) => EovRequestValidator;
  ContentType: EovContentType;
  SchemaPreprocessor: new (
    apiDoc: object,
    ajvOptions: object,
    responseOptions: object | false,
  ) => {
    preProcess(): { apiDoc: OpenAPIV3.Document; apiDocRes: OpenAPIV3.Document | null };
  };
  ResponseValidator: new (
    apiDoc: object,
    ajvOptions: object,
    eovOptions: object,
    serial: number,
  ) => EovResponseValidator;
}

let eov: EovClasses | undefined;

// Loaded on first use, so `require('spectrometer')` for PrometheusMetrics alone stays light.
// These are express-openapi-validator internals: package.json pins it to ~5.6 for that reason.
function loadEov(): EovClasses {
  eov ??= {
    OpenApiValidator: require('express-openapi-validator/dist/openapi.validator').OpenApiValidator,
    RequestValidator:
      require('express-openapi-validator/dist/middlewares/openapi.request.validator')
        .RequestValidator,
    ContentType: require('express-openapi-validator/dist/middlewares/util').ContentType,
    SchemaPreprocessor:
      require('express-openapi-validator/dist/middlewares/parsers/schema.preprocessor')
        .SchemaPreprocessor,
    ResponseValidator:
      require('express-openapi-validator/dist/middlewares/openapi.response.validator')
        .ResponseValidator,
  };
  return eov;
}

/** Options of {@link createOpenApiValidation}. */
export interface OpenApiValidationOptions {
  requests: boolean;
  responses: boolean;
  allowUnknownQueryParameters: boolean;
}

/** express-openapi-validator's validators, compiled once for a whole document. */
export interface OpenApiValidation {
  /**
   * Compiles every operation's request validators now, for each media type its body declares,
   * instead of on first use; a schema ajv cannot compile is a boot problem, not a 500 per request.
   */
  precompile(operations: readonly RoutedOperation[]): BootProblem[];
  /** Builds the validation of one operation's requests; throws express-openapi-validator's HttpError. */
  buildRequestValidation?: (operation: RoutedOperation) => (req: Request, res: Response) => void;
  /** Validates a JSON response body for `status`; throws express-openapi-validator's HttpError. */
  validateResponse?: (req: Request, status: number, contentType: string, body: unknown) => void;
  /** Parses multipart bodies (multer), for operations that accept them. */
  parseMultipart: RequestHandler;
  /**
   * Builds what marks a request as routed to `operation`, the way express-openapi-validator's
   * router would (`req.openapi`).
   */
  buildAttach(operation: RoutedOperation): (req: Request) => void;
}

const SERIAL = 0;

/**
 * Compiles express-openapi-validator for a dereferenced document (a copy: it rewrites its input).
 * @example
 * const validation = createOpenApiValidation(document, { requests: true, responses: false, allowUnknownQueryParameters: false });
 */
export function createOpenApiValidation(
  document: OpenAPIV3.Document,
  options: OpenApiValidationOptions,
): OpenApiValidation {
  const apiDoc = withOptionalBodiesMarked(structuredClone(document));
  const { OpenApiValidator, SchemaPreprocessor, ResponseValidator, RequestValidator, ContentType } =
    loadEov();
  const validator = new OpenApiValidator({
    apiSpec: apiDoc,
    validateApiSpec: false, // loadSpec already checked it and reports every problem
    validateSecurity: false, // createApi's security step owns authentication
    // Undeclared query parameters are checked by buildQueryNameCheck, which reports all of them.
    validateRequests: {
      allowUnknownQueryParameters: true,
      allErrors: true,
    },
    validateResponses: options.responses ? { allErrors: true } : false,
  });
  const { apiDoc: requestDoc, apiDocRes: responseDoc } = new SchemaPreprocessor(
    apiDoc,
    lenientTuples(validator.ajvOpts.preprocessor),
    validator.options.validateResponses,
  ).preProcess();
  const requestValidator = new RequestValidator(
    requestDoc,
    lenientTuples(validator.ajvOpts.request),
  ) as CompilingRequestValidator;
  // Form fields arrive as text, so form bodies are validated by a coercing validator ("3" is 3);
  // JSON bodies keep their types. Created only when an operation takes a form.
  let formValidator: CompilingRequestValidator | undefined;
  const validatorFor = (contentType: string | undefined): CompilingRequestValidator =>
    contentType && FORM_MEDIA_TYPE.test(contentType)
      ? (formValidator ??= new RequestValidator(
          requestDoc,
          // 'array' also makes a single `tags=a` the one-item array the schema asks for.
          lenientTuples({ ...validator.ajvOpts.request, coerceTypes: 'array' }),
        ) as CompilingRequestValidator)
      : requestValidator;
  const responseValidator = responseDoc
    ? new ResponseValidator(
        responseDoc,
        lenientTuples((validator.ajvOpts as { response?: object }).response ?? {}),
        {},
        SERIAL,
      )
    : undefined;
  return {
    precompile: (operations) =>
      options.requests
        ? operations.flatMap((op) =>
            compileRequestValidators(op, operationIn(requestDoc, op), validatorFor, ContentType),
          )
        : [],
    buildRequestValidation: options.requests
      ? (operation) => {
          const checkQueryNames = buildQueryNameCheck(
            operation,
            document,
            options.allowUnknownQueryParameters,
          );
          const validateWithEov = keepLiteralBracketNames(
            operation,
            withoutEmptyOptionalBody(
              operation,
              prepareRequestValidation(
                operation,
                operationIn(requestDoc, operation) as OpenAPIV3.OperationObject,
                validatorFor,
                ContentType,
              ),
            ),
          );
          return function validateRequest(req, res) {
            const issues = checkQueryNames(req);
            try {
              validateWithEov(req, res);
            } catch (error) {
              const errors = (error as { status?: number; errors?: QueryNameIssue[] }).errors;
              if (issues.length && (error as { status?: number }).status === 400 && errors)
                errors.unshift(...issues);
              throw error;
            }
            if (issues.length) throw toBadRequest(req, issues);
          };
        }
      : undefined,
    validateResponse: responseValidator
      ? (req, status, contentType, body) => {
          const schema = (req as RoutedRequest).openapi._responseSchema;
          const validators = responseValidator._getOrBuildValidator(req, schema?.responses);
          responseValidator._validate({
            validators,
            body,
            statusCode: status,
            path: req.originalUrl,
            accepts: [contentType],
          });
        }
      : undefined,
    parseMultipart: validator.multipartMiddleware(requestDoc),
    buildAttach(operation) {
      const { routePath, routeTemplate } = operation;
      const schema = operationIn(requestDoc, operation);
      const responseSchema = responseDoc
        ? (operationIn(responseDoc, operation) as { responses?: unknown })
        : undefined;
      return function attach(req) {
        (req as RoutedRequest).openapi = {
          expressRoute: routePath,
          openApiRoute: routeTemplate,
          pathParams: req.params,
          schema,
          serial: SERIAL,
          _responseSchema: responseSchema,
        };
      };
    },
  };
}

// JSON Schema lets `prefixItems` leave the rest of an array open; ajv's strictTuples would refuse
// such (valid OpenAPI 3.1) schemas, so that advice is off.
function lenientTuples<T extends object>(ajvOptions: T): T {
  return { ...ajvOptions, strictTuples: false };
}

const FORM_MEDIA_TYPE = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

function operationIn(document: OpenAPIV3.Document, operation: RoutedOperation): unknown {
  return (document.paths[operation.path] as Record<string, unknown> | undefined)?.[
    operation.method
  ];
}

function toBadRequest(req: Request, issues: readonly QueryNameIssue[]): Error {
  return Object.assign(new Error(issues.map((issue) => issue.message).join(', ')), {
    status: 400,
    path: req.path,
    errors: issues,
  });
}

type RoutedRequest = Request & {
  openapi: {
    expressRoute: string;
    openApiRoute: string;
    pathParams: Request['params'];
    schema: unknown;
    serial: number;
    _responseSchema?: { responses?: unknown };
  };
};
