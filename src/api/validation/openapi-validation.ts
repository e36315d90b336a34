import type { Request, RequestHandler, Response } from 'express';
import type { OpenAPIV3 } from 'openapi-types';
import { buildQueryNameCheck, keepLiteralBracketNames, type QueryNameIssue } from './query-names';
import { prepareRequestValidation } from './prepared-request-validation';
import type { RoutedOperation } from '../types';
import { withOptionalBodiesMarked, withoutEmptyOptionalBody } from './optional-bodies';
import { compileRequestValidators } from './precompile-validators';
import {
  buildRouteMarker,
  loadEov,
  responsesOf,
  type EovRequestValidator,
  type ResponseValidators,
  type RoutedResponses,
} from '../../adapters/express-openapi-validator';
import type { BootProblem } from '../../errors';
import type { LoadedSpec } from '../../openapi/load-spec';
import { ServerFault } from '../response/error-problems';
import { HttpProblem } from '../response/http-problem';
import { buildValidatorDocument } from './validator-document';
import { escapePointerToken } from '../../openapi/json-pointer';
import { findUnknownFormats } from './unknown-formats';

// express-openapi-validator's public middleware re-matches every request against every route with
// a freshly compiled path-to-regexp and hops through a promise per stage. Express already routed
// the request to one operation, so we drive its validators directly (through its adapter): same
// checks (parameters with style/explode and coercion, bodies, content types, multipart,
// responses), none of the re-work.

/** Options of {@link createOpenApiValidation}. */
export interface OpenApiValidationOptions {
  requests: boolean;
  responses: boolean;
  allowUnknownQueryParameters: boolean;
}

/** express-openapi-validator's validators for a whole document, each compiled on first use. */
export interface OpenApiValidation {
  /**
   * Compiles every operation's validators now (requests for each media type its body declares,
   * and responses when they are validated); what ajv cannot compile comes back as problems. For
   * `lint`: a boot compiles each operation on its first request instead.
   */
  compileAll(operations: readonly RoutedOperation[]): BootProblem[];
  /** Formats that the schemas use and no validator knows: they are not checked. */
  unknownFormats: ReadonlyMap<string, string>;
  /**
   * Builds the validation of one operation's requests; throws express-openapi-validator's
   * HttpError, or a `ServerFault` (500) when the operation's schemas cannot be compiled.
   */
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

/**
 * Sets express-openapi-validator up for a loaded document (on a copy built for validation:
 * shared schemas by `$ref`). Nothing is compiled yet.
 * @example
 * const validation = createOpenApiValidation(spec, { requests: true, responses: false, allowUnknownQueryParameters: false });
 */
export function createOpenApiValidation(
  spec: LoadedSpec,
  options: OpenApiValidationOptions,
): OpenApiValidation {
  const { document } = spec;
  const requestDoc = withOptionalBodiesMarked(buildValidatorDocument(spec, 'request'));
  const responseDoc = options.responses ? buildValidatorDocument(spec, 'response') : null;
  const eov = loadEov();
  const setup = eov.createSetup({
    apiSpec: requestDoc,
    validateApiSpec: false, // loadSpec already checked it and reports every problem
    validateSecurity: false, // createApi's security step owns authentication
    // Undeclared query parameters are checked by buildQueryNameCheck, which reports all of them.
    validateRequests: {
      allowUnknownQueryParameters: true,
      allErrors: true,
    },
    validateResponses: options.responses ? { allErrors: true } : false,
  });
  const requestComponents = shareComponents(requestDoc);
  const requestValidator = requestComponents.register(
    eov.createRequestValidator(
      requestComponents.document,
      withAjvSettings(setup.requestAjvOptions),
    ),
  );
  // Form fields arrive as text, so form bodies are validated by a coercing validator ("3" is 3);
  // JSON bodies keep their types. Created only when an operation takes a form.
  let formValidator: EovRequestValidator | undefined;
  const validatorFor = (contentType: string | undefined): EovRequestValidator =>
    contentType && FORM_MEDIA_TYPE.test(contentType)
      ? (formValidator ??= requestComponents.register(
          eov.createRequestValidator(
            requestComponents.document,
            // 'array' also makes a single `tags=a` the one-item array the schema asks for.
            withAjvSettings({ ...setup.requestAjvOptions, coerceTypes: 'array' }),
          ),
        ))
      : requestValidator;
  const responseComponents = responseDoc ? shareComponents(responseDoc) : undefined;
  const responseValidator =
    responseComponents &&
    responseComponents.register(
      eov.createResponseValidator(
        responseComponents.document,
        withAjvSettings(setup.responseAjvOptions),
      ),
    );
  const compileRequests = (op: RoutedOperation): BootProblem[] =>
    compileRequestValidators(op, operationIn(requestDoc, op), validatorFor);
  const compileResponses = (op: RoutedOperation): BootProblem[] => {
    const responses = responseDoc && (operationIn(responseDoc, op) as RoutedResponses)?.responses;
    if (!responseValidator || !responses) return [];
    try {
      responseValidator.compile(responses, `lint-${op.method}-${op.routePath}`);
      return [];
    } catch (error) {
      return [uncompilable(op, `${op.pointer}/responses`, 'response', error)];
    }
  };
  const responsePointers = new WeakMap<object, string>();
  const responseFaults = new WeakMap<object, ServerFault>();
  return {
    compileAll: (operations) =>
      operations.flatMap((op) => [
        ...(options.requests ? compileRequests(op) : []),
        ...compileResponses(op),
      ]),
    unknownFormats: findUnknownFormats(requestDoc, requestValidator.formatNames()),
    buildRequestValidation: options.requests
      ? (operation) => {
          const checkQueryNames = buildQueryNameCheck(
            operation,
            document,
            options.allowUnknownQueryParameters,
          );
          const validateWithEov = withoutEmptyOptionalBody(
            operation,
            prepareRequestValidation(operation, validatorFor),
          );
          const ensureCompiled = compileOnFirstUse(() => compileRequests(operation));
          // Outermost, so that the name check sees bracketed names as declared too.
          return keepLiteralBracketNames(operation, function validateRequest(req, res) {
            ensureCompiled();
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
          });
        }
      : undefined,
    validateResponse: responseValidator
      ? (req, status, contentType, body) => {
          const schema = responsesOf(req);
          // OpenAPI 3.1 lets an operation declare no responses: nothing to check against.
          if (!schema?.responses) return;
          const fault = responseFaults.get(schema);
          if (fault) throw new ServerFault(fault.problem, fault.message, true);
          let validators: ResponseValidators;
          try {
            validators = responseValidator.validatorsFor(req, schema.responses);
          } catch (error) {
            const pointer = `${responsePointers.get(schema) ?? '#'}/responses`;
            const problem = uncompilable(undefined, pointer, 'response', error);
            const first = new ServerFault(toServerProblem(problem), formatCompileProblem(problem));
            responseFaults.set(schema, first);
            throw first;
          }
          responseValidator.validate(validators, {
            status,
            contentType,
            body,
            path: req.originalUrl,
          });
        }
      : undefined,
    parseMultipart: setup.multipartMiddleware(requestDoc),
    buildAttach(operation) {
      const responseSchema = responseDoc
        ? (operationIn(responseDoc, operation) as RoutedResponses)
        : undefined;
      if (responseSchema) responsePointers.set(responseSchema, operation.pointer);
      return buildRouteMarker({
        expressRoute: operation.routePath,
        openApiRoute: operation.routeTemplate,
        schema: operationIn(requestDoc, operation),
        responseSchema,
      });
    },
  };
}

const QUIET_ABOUT_FORMATS = {
  log: (...args: unknown[]) => console.warn(...args),
  // Unknown formats are summed up once per format at boot (unknownFormats), not once per schema.
  warn: (...args: unknown[]) => {
    if (!/^unknown format /.test(String(args[0]))) console.warn(...args);
  },
  error: (...args: unknown[]) => console.error(...args),
};

// JSON Schema lets `prefixItems` leave the rest of an array open (strictTuples would refuse such
// valid OpenAPI 3.1 schemas); OpenAPI patterns are ECMA-262 regular expressions, which the `u`
// flag would make stricter (`\-` or `\:` are "invalid escapes" under it).
function withAjvSettings<T extends object>(ajvOptions: T): T {
  return { ...ajvOptions, strictTuples: false, unicodeRegExp: false, logger: QUIET_ABOUT_FORMATS };
}

// The validators put the document's `paths` and `components` beside every schema they compile so
// that `$ref`s resolve, and ajv walks all of it again for each operation (seconds per operation on
// big specs). They get a document without paths whose component schemas are one-line `$ref`s to
// the real ones, added to their ajv once under an id of their own.
const COMPONENTS_ID = 'https://spectrometer.invalid/components.json';

function shareComponents(document: OpenAPIV3.Document) {
  const schemas = document.components?.schemas ?? {};
  const stubs: Record<string, object> = {};
  for (const name of Object.keys(schemas)) {
    stubs[name] = { $ref: `${COMPONENTS_ID}#/components/schemas/${escapePointerToken(name)}` };
  }
  return {
    document: { ...document, paths: {}, components: { ...document.components, schemas: stubs } },
    register<T extends { addSchema(schema: object, id: string): void }>(validator: T): T {
      validator.addSchema({ components: { schemas } }, COMPONENTS_ID);
      return validator;
    },
  };
}

/**
 * Runs `compile` on the first call: its problems then answer every request of the operation with
 * a 500 problem naming the schema (logged on the first one only).
 */
function compileOnFirstUse(compile: () => BootProblem[]): () => void {
  let state: 'new' | 'ok' | ServerFault = 'new';
  return function ensureCompiled() {
    if (state === 'ok') return;
    if (state instanceof ServerFault) throw new ServerFault(state.problem, state.message, true);
    const [problem] = compile();
    if (!problem) {
      state = 'ok';
      return;
    }
    state = new ServerFault(toServerProblem(problem), formatCompileProblem(problem));
    throw state;
  };
}

function uncompilable(
  op: RoutedOperation | undefined,
  pointer: string,
  side: 'request' | 'response',
  error: unknown,
): BootProblem {
  return {
    ...(op ? { operationId: op.operationId, method: op.method, path: op.path } : {}),
    pointer,
    message: `the ${side} schemas cannot be compiled: ${(error as Error).message}`,
    hint: 'fix the schema; JSON Schema draft 4 for OpenAPI 3.0, 2020-12 for 3.1',
  };
}

function toServerProblem(problem: BootProblem): HttpProblem {
  return new HttpProblem({
    status: 500,
    detail: `the schema at ${problem.pointer ?? '#'} cannot be compiled, so this operation cannot be served`,
  });
}

function formatCompileProblem(problem: BootProblem): string {
  return `spectrometer: ${problem.pointer ?? '#'}: ${problem.message} (${problem.hint ?? ''})`;
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
