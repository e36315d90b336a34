import type { Application } from 'express';
import type { PrometheusMetricsOptions } from '../../metrics/types';
import { findNearMiss } from '../../did-you-mean';
import { SpectrometerError } from '../../errors';
import type { Handlers, SecurityHandlers } from '../request/handler-context';
import type { TypedHandlers, TypedSecurityHandlers } from '../typed-handlers';
import type { AfterHandlerHook } from '../request/pipeline';
import type { LabelFunctionContext } from '../request/source-context';

/** What to do for an operation without a handler. */
export type MissingHandler = 'error' | 'not-implemented' | 'mock';

/** Which side of the exchange express-openapi-validator checks. */
export interface ValidationOptions {
  /** Validate parameters and bodies; failures answer 400/415. @default true */
  requests?: boolean;
  /**
   * Validate what is sent against the declared responses: `true` replaces a mismatch with a 500
   * problem; `'report'` sends it as the handler made it, counts it in
   * `spectrometer_contract_violations_total{operation,status}` and logs one line with its pointer;
   * `{ mode: 'report', sampleRate }` checks only that share of responses (0 to 1). @default false
   */
  responses?: boolean | 'report' | ResponseReportOptions;
  /** Accept query parameters the operation does not declare. @default false */
  allowUnknownQueryParameters?: boolean;
  /** Largest accepted request body, in bytes or a `'100kb'` string. @default '1mb' */
  bodyLimit?: number | string;
}

/** `validation.responses` in report mode, checking a sample of the responses. */
export interface ResponseReportOptions {
  mode: 'report';
  /** Share of responses checked, from 0 (none: no cost) to 1 (all). @default 1 */
  sampleRate?: number;
}

/** `validation` with every default applied; `responses` says whether a validator is built. */
export interface ResolvedValidationOptions {
  requests: boolean;
  responses: boolean;
  /** Report mode: mismatches are counted and logged, never answered; absent = enforce. */
  report?: { sampleRate: number };
  allowUnknownQueryParameters: boolean;
  bodyLimit: number | string;
}

/**
 * A label function of x-metrics (`{ fn: name }`), called when the response ends with the handler
 * context plus the handler's `result` (the problem document when the request failed before or
 * in the handler). `undefined` gives an empty label; a throw is counted, never fails the request.
 * @example
 * const petKind: ApiLabelFunction = ({ result }) => ((result as { tag?: string })?.tag === 'cat' ? 'feline' : 'other');
 */
export type ApiLabelFunction = (ctx: LabelFunctionContext) => string | number | undefined;

/**
 * Options of `createApi`. With `Ops` (the `Operations` type `spectrometer types` writes), handlers
 * are typed per operation; without it, they are plain {@link Handlers}. With `Principal` too,
 * security handlers return it and handlers read it as `ctx.auth`.
 */
export interface CreateApiOptions<Ops = unknown, Principal = unknown> {
  /** Path of a YAML/JSON OpenAPI 3.0/3.1 document, or the document itself. */
  spec: string | object;
  /** Handlers keyed by `operationId`. @default {} */
  // NoInfer: typed only when asked for, `createApi<Operations>(…)`, never guessed from handlers.
  handlers?: unknown extends Ops ? Handlers : TypedHandlers<NoInfer<Ops>, NoInfer<Principal>>;
  /** Operations without a handler: boot error, 501, or answers from the spec's examples. @default 'error' */
  missingHandler?: MissingHandler;
  /** @default { requests: true, responses: false } */
  validation?: ValidationOptions;
  /**
   * PrometheusMetrics options; they win over the document-level `x-metrics`, which wins over the
   * built-in defaults (`groupBy: 'operation'`). Default labels merge by name.
   */
  metrics?: PrometheusMetricsOptions;
  /** Security handlers keyed by `components.securitySchemes` names. @default {} */
  security?: unknown extends Principal
    ? SecurityHandlers
    : TypedSecurityHandlers<NoInfer<Principal>>;
  /** Label functions referenced by name from x-metrics. @default {} */
  labelFunctions?: Record<string, ApiLabelFunction>;
  /** An existing Express app to mount the API on. @default a new Express app */
  app?: Application;
  /** Path prefix of the API. @default the path of `servers[0].url`, else '' */
  basePath?: string;
  /** Run after every handler, before the response is written (x-metrics hooks in here). */
  afterHandler?: AfterHandlerHook[];
  /**
   * Refuse what is only a warning otherwise: operations without an `operationId` (ids are
   * derived from method and path when this is off). @default false
   */
  strict?: boolean;
  /** Let file `$ref`s leave the spec's folder tree (remote `http:` refs stay refused). @default false */
  allowExternalRefs?: boolean;
  /** Where boot warnings (derived operationIds, mock security, ...) go. @default console */
  logger?: Logger;
  /**
   * How long a handler may take to answer (until its promise settles, or it sends the response
   * head itself), in milliseconds; after that the client gets a 503 problem, the request counts as
   * an exception and `ctx.signal` aborts. `0` = no limit. @default 30000
   */
  handlerTimeoutMs?: number;
  /**
   * Serve `<basePath>/openapi.json` (the spec as loaded) and `<basePath>/docs` (Swagger UI, from
   * the installed `swagger-ui-dist`); neither is an operation or counted in metrics.
   * @default false (`spectrometer serve` turns it on)
   */
  docs?: boolean;
}

/** Receives the warnings a boot finds: what was served anyway, and how. */
export interface Logger {
  warn(message: string): void;
}

/** `CreateApiOptions` with every default applied. */
export interface ResolvedApiOptions {
  spec: string | object;
  handlers: Handlers;
  missingHandler: MissingHandler;
  validation: ResolvedValidationOptions;
  /** The metrics options passed in code only (merged with the document's at boot). */
  metrics: PrometheusMetricsOptions;
  security: SecurityHandlers;
  labelFunctions: Record<string, ApiLabelFunction>;
  app?: Application;
  basePath?: string;
  afterHandler: AfterHandlerHook[];
  strict: boolean;
  allowExternalRefs: boolean;
  logger: Logger;
  /** `0` = no limit. */
  handlerTimeoutMs: number;
  docs: boolean;
}

const MISSING_HANDLER: readonly MissingHandler[] = ['error', 'not-implemented', 'mock'];

/** `handlerTimeoutMs` without the option. */
export const DEFAULT_HANDLER_TIMEOUT_MS = 30_000;
/** The longest delay Node's timers take (about 24.8 days); longer ones fire at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

// Every key of the option objects: a misspelt one (`securty`) must not be silently ignored.
const CREATE_API_KEYS = [
  'spec',
  'handlers',
  'missingHandler',
  'validation',
  'metrics',
  'security',
  'labelFunctions',
  'app',
  'basePath',
  'afterHandler',
  'strict',
  'allowExternalRefs',
  'logger',
  'handlerTimeoutMs',
  'docs',
] satisfies ReadonlyArray<keyof CreateApiOptions>;
const VALIDATION_KEYS = [
  'requests',
  'responses',
  'allowUnknownQueryParameters',
  'bodyLimit',
] satisfies ReadonlyArray<keyof ValidationOptions>;

/**
 * Applies the defaults of `createApi` once and rejects options of the wrong shape.
 * @example
 * resolveApiOptions({ spec: 'specs/petstore.yaml' }).validation // { requests: true, responses: false, ... }
 */
export function resolveApiOptions(options: CreateApiOptions): ResolvedApiOptions {
  if (!options || typeof options !== 'object')
    invalid('createApi needs an options object', options);
  checkKnownKeys('createApi option', options, CREATE_API_KEYS);
  if (options.validation !== undefined) {
    if (!options.validation || typeof options.validation !== 'object')
      invalid('validation must be an object', options.validation);
    checkKnownKeys('validation option', options.validation, VALIDATION_KEYS);
  }
  const missingHandler = options.missingHandler ?? 'error';
  if (!MISSING_HANDLER.includes(missingHandler)) {
    invalid(`missingHandler must be one of ${MISSING_HANDLER.join(', ')}`, missingHandler);
  }
  if (options.app !== undefined && (typeof options.app !== 'function' || !('use' in options.app)))
    invalid('app must be an Express application (express())', options.app);
  if (options.basePath !== undefined && typeof options.basePath !== 'string')
    invalid('basePath must be a string such as "/v1"', options.basePath);
  const bodyLimit = options.validation?.bodyLimit;
  if (bodyLimit !== undefined && typeof bodyLimit !== 'number' && typeof bodyLimit !== 'string')
    invalid('validation.bodyLimit must be a number of bytes or a string such as "1mb"', bodyLimit);
  checkFunctions('handlers', options.handlers);
  checkFunctions('security', options.security);
  checkFunctions('labelFunctions', options.labelFunctions);
  for (const flag of ['strict', 'allowExternalRefs', 'docs'] as const) {
    if (options[flag] !== undefined && typeof options[flag] !== 'boolean')
      invalid(`${flag} must be true or false`, options[flag]);
  }
  if (options.logger !== undefined && typeof options.logger?.warn !== 'function')
    invalid('logger must have a warn(message) method', options.logger);
  const timeout = options.handlerTimeoutMs;
  if (timeout !== undefined && !isTimeout(timeout))
    invalid(
      `handlerTimeoutMs must be a whole number of milliseconds from 0 (no limit) to ${MAX_TIMEOUT_MS}`,
      timeout,
    );
  return {
    spec: options.spec,
    handlers: options.handlers ?? {},
    missingHandler,
    validation: {
      requests: options.validation?.requests ?? true,
      ...resolveResponses(options.validation?.responses),
      allowUnknownQueryParameters: options.validation?.allowUnknownQueryParameters ?? false,
      bodyLimit: options.validation?.bodyLimit ?? '1mb',
    },
    metrics: { ...options.metrics },
    security: options.security ?? {},
    labelFunctions: options.labelFunctions ?? {},
    app: options.app,
    basePath: options.basePath,
    afterHandler: options.afterHandler ?? [],
    strict: options.strict ?? false,
    allowExternalRefs: options.allowExternalRefs ?? false,
    logger: options.logger ?? console,
    handlerTimeoutMs: timeout ?? DEFAULT_HANDLER_TIMEOUT_MS,
    docs: options.docs ?? false,
  };
}

function resolveResponses(
  responses: ValidationOptions['responses'],
): Pick<ResolvedValidationOptions, 'responses' | 'report'> {
  if (responses === undefined || typeof responses === 'boolean') return { responses: !!responses };
  if (responses === 'report') return { responses: true, report: { sampleRate: 1 } };
  if (!responses || typeof responses !== 'object' || responses.mode !== 'report')
    invalid(
      "validation.responses must be true, false, 'report' or { mode: 'report', sampleRate }",
      responses,
    );
  checkKnownKeys('validation.responses option', responses, ['mode', 'sampleRate']);
  const sampleRate = responses.sampleRate ?? 1;
  if (typeof sampleRate !== 'number' || !(sampleRate >= 0 && sampleRate <= 1))
    invalid('validation.responses.sampleRate must be a number from 0 to 1', sampleRate);
  // Nothing sampled: no validator is built and no response is looked at.
  return { responses: sampleRate > 0, report: { sampleRate } };
}

function isTimeout(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_TIMEOUT_MS;
}

function checkKnownKeys(what: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const nearMiss = findNearMiss(key, known);
    throw new SpectrometerError(
      'SPM_INVALID_OPTION',
      `Unknown ${what} "${key}"${nearMiss ? `: did you mean "${nearMiss}"?` : ''} (known: ${known.join(', ')})`,
    );
  }
}

function checkFunctions(name: string, value: unknown): void {
  if (value === undefined) return;
  if (!value || typeof value !== 'object') invalid(`${name} must be an object of functions`, value);
  for (const [key, fn] of Object.entries(value as object)) {
    if (typeof fn !== 'function') invalid(`${name}.${key} must be a function`, fn);
  }
}

function invalid(what: string, got: unknown): never {
  throw new SpectrometerError(
    'SPM_INVALID_OPTION',
    // JSON would print NaN and Infinity as null.
    `${what}, got ${typeof got === 'number' ? String(got) : (JSON.stringify(got) ?? String(got))}`,
  );
}
