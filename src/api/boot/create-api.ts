import { createServer, type Server } from 'node:http';
import express, { type Application, type Request, type Response } from 'express';
import type { OpenAPIV3 } from 'openapi-types';
import { SpectrometerError, formatProblem, type BootProblem } from '../../errors';
import { ensureRequestState } from '../../metrics/request-state';
import { PrometheusMetrics } from '../../metrics/prometheus-metrics';
import { logUnhandledError, useFinalResponder } from '../../metrics/app-tracking';
import { inspectSpec, specInvalid } from '../../openapi/load-spec';
import { toBasePath } from '../../openapi/base-path';
import { compileXMetrics } from '../../x-metrics';
import { addThresholdBuckets, compileSlos } from '../../slo';
import {
  resolveApiOptions,
  type ApiLabelFunction,
  type CreateApiOptions,
  type ResolvedApiOptions,
} from './api-options';
import { measureApp } from './api-metrics';
import { watchAsyncSenders } from '../response/async-senders';
import { buildBodyStep } from '../request/body-parsers';
import { checkHandlers, checkMetricsPath, checkSecurity } from './boot-checks';
import { buildPreferenceStep } from './missing-handlers';
import { buildCookieStep } from '../request/cookies';
import { buildDocsMiddleware, checkDocsPaths } from '../docs/docs-routes';
import { ServerFault, toProblem } from '../response/error-problems';
import { HttpProblem, sendProblem } from '../response/http-problem';
import { serveOperations, type ServedApi, type ServedOperation } from '../request/serve-operations';
import { createOpenApiValidation, type OpenApiValidation } from '../validation/openapi-validation';
import { describeUnknownFormats } from '../validation/unknown-formats';
import { runSteps, type Exchange, type PipelineStep, type StepFactory } from '../request/pipeline';
import { buildResponseValidationStep } from '../validation/response-validation';
import { buildContractReport } from '../validation/contract-violations';
import { sendResult } from '../response/response-converter';
import { routeOperations } from './routed-operation';
import type { RoutedOperation } from '../types';
import { buildAfterHandlerStep, buildRunHandler } from '../request/run-handler';
import { buildSecurityStep } from '../request/security';
import { buildXMetricsStep, type OperationRecording } from '../request/x-metrics-recording';

/** What the pipeline steps of every operation share. */
export interface ApiRuntime {
  document: OpenAPIV3.Document;
  options: ResolvedApiOptions;
  validation: OpenApiValidation;
  metrics: PrometheusMetrics;
  /** What each operation records from x-metrics, keyed by operationId. */
  recordings: ReadonlyMap<string, OperationRecording>;
}

/**
 * A request's journey through an operation, top to bottom. Each factory returns the step for one
 * operation, or `undefined` when the operation does not need it. Insert new steps here.
 */
export const PIPELINE: ReadonlyArray<StepFactory<ApiRuntime>> = [
  // 1. Known from now on: metrics count everything below, 4xx included, under this operation.
  (op, { validation }) => {
    const attach = validation.buildAttach(op);
    const endpoint = op.handler.name || '<anonymous>';
    return function matchOperation({ req, state }) {
      state.operationId = op.operationId;
      state.routeTemplate = op.path;
      state.endpoint = endpoint;
      attach(req);
    };
  },
  // x-metrics of the operation begin here: durations include validation, 4xx are recorded.
  (op, { recordings, metrics }) => buildXMetricsStep(recordings.get(op.operationId), metrics),
  (op) => buildCookieStep(op),
  // 2. Authenticate before reading the body: strangers cannot make us parse or validate anything.
  (op, { document, options }) =>
    buildSecurityStep(
      op,
      (document.components?.securitySchemes ?? {}) as never,
      options.security,
      options.missingHandler === 'mock',
    ),
  (op, { options, validation }) =>
    buildBodyStep(op, {
      limit: options.validation.bodyLimit,
      parseMultipart: validation.parseMultipart,
    }),
  (op, { validation }) => {
    const validate = validation.buildRequestValidation?.(op);
    return validate && (({ req, res }) => validate(req, res));
  },
  // Mock answers: a Prefer header the operation cannot meet is the client's mistake (400).
  (op) => buildPreferenceStep(op),
  (op, { validation, options, metrics }) =>
    validation.validateResponse &&
    buildResponseValidationStep(
      validation.validateResponse,
      options.validation.report &&
        buildContractReport(
          op,
          metrics.registry,
          options.logger,
          options.validation.report.sampleRate,
        ),
    ),
  (op, { options }) => buildRunHandler(op, options.handlerTimeoutMs),
  // 3. After-handler hooks: the result is known (also kept in state.result), nothing sent yet.
  (_op, { options }) => buildAfterHandlerStep(options.afterHandler),
  (op, { options }) =>
    function convertResult({ req, res, result }) {
      return sendResult(result, {
        req,
        res,
        operation: op.operation,
        responseConverter: options.metrics.responseConverter,
      });
    },
];

/** What `createApi` returns. */
export interface Api {
  /** The Express app serving the API (and `/metrics`). */
  app: Application;
  /** The Prometheus exporter instrumenting the app. */
  metrics: PrometheusMetrics;
  /** Every operation, as served. */
  operations: RoutedOperation[];
  /** The dereferenced OpenAPI document. */
  document: OpenAPIV3.Document;
  /** The path prefix the operations are served under. */
  basePath: string;
  /** The label functions given to `createApi`, for x-metrics. */
  labelFunctions: Record<string, ApiLabelFunction>;
  /** What the boot served anyway, and how (also given to `logger.warn`, one line each). */
  warnings: readonly BootProblem[];
  /** Starts an HTTP server for the app. @default host '127.0.0.1' */
  listen(port: number, host?: string): Promise<Server>;
}

/**
 * Boots a validated, measured Express API from an OpenAPI document and handlers keyed by
 * operationId. Every problem with the spec, the handlers or security is found here and thrown
 * as one `SpectrometerError`, before any request. `createApi<Operations>(…)` (the type
 * `spectrometer types` writes) checks handler names, parameter types and results at compile time.
 * @example
 * const api = await createApi({ spec: 'specs/petstore.yaml', handlers: { listPets, getPet } });
 * await api.listen(8080);
 */
export async function createApi<Ops = unknown, Principal = unknown>(
  options: CreateApiOptions<Ops, Principal>,
): Promise<Api> {
  // Typed handlers are plain handlers at run time.
  const resolved = resolveApiOptions(options as CreateApiOptions);
  const {
    spec,
    problems: specProblems,
    warnings: specWarnings,
  } = await inspectSpec(resolved.spec, {
    allowExternalRefs: resolved.allowExternalRefs,
    // A mock nobody asked for may stay unreachable behind a path of the same shape; an operation
    // with a handler (or any, under strict) may not: its code would never run.
    mayBeUnreachable: (operation) =>
      resolved.missingHandler === 'mock' &&
      !resolved.strict &&
      !Object.hasOwn(resolved.handlers, operation.operationId ?? ''),
  });
  if (specProblems.length) {
    // Every problem at once: the handlers are checked against the operations that could be listed.
    const handlerProblems = spec.operations.length
      ? checkHandlers(spec.operations, resolved.handlers, resolved.missingHandler, resolved.strict)
      : [];
    throw specInvalid(spec, [...specProblems, ...spec.locate(handlerProblems)]);
  }
  // What is found from here on points into the document as written (Swagger 2.0 included).
  const warnings: BootProblem[] = [];
  const throwBootProblems = (
    api: BootProblem[],
    xMetrics: BootProblem[],
    xSlo: BootProblem[] = [],
  ): void => throwIfAny(spec.locate(api), spec.locate(xMetrics), spec.locate(xSlo));
  const { document } = spec;
  const xMetrics = compileXMetrics(document, {
    labelFunctions: resolved.labelFunctions,
    // Mock mode serves a spec without its code: a missing label function records "__missing__".
    missingLabelFunctions: resolved.missingHandler === 'mock' ? 'placeholder' : 'error',
    ...(resolved.metrics.defaultsPrefix !== undefined
      ? { defaultsPrefix: resolved.metrics.defaultsPrefix }
      : {}),
  });
  warnings.push(...xMetrics.bootWarnings);
  // x-slo: checked at boot like x-metrics; each latency threshold becomes a duration bucket.
  const slo = compileSlos(document, {
    xMetrics,
    operations: spec.operations,
    metrics: resolved.metrics,
  });
  const security = checkSecurity(
    document,
    spec.operations,
    resolved.security,
    resolved.missingHandler,
  );
  warnings.push(...security.warnings);
  throwBootProblems(
    [
      ...checkHandlers(
        spec.operations,
        resolved.handlers,
        resolved.missingHandler,
        resolved.strict,
      ),
      ...security.problems,
    ],
    xMetrics.problems,
    slo.problems,
  );
  const basePath = toBasePath(document.servers, resolved.basePath);
  const operations = routeOperations(spec.operations, document, resolved, basePath);
  // Validators compile on each operation's first request (`lint` compiles them all up front).
  const validation = createOpenApiValidation(spec, resolved.validation);
  warnings.push(...describeUnknownFormats(validation.unknownFormats));
  throwBootProblems(
    [
      ...checkMetricsPath(operations, resolved.metrics.path),
      ...(resolved.docs ? checkDocsPaths(operations, basePath) : []),
    ],
    [],
  );

  const app = resolved.app ?? createApp();
  // res.sendFile/download/render answer after the handler returned: the converter must know.
  watchAsyncSenders(app);
  // The exporter first: it wraps the app and registers /metrics ahead of the API's routes.
  const buckets = addThresholdBuckets(
    resolved.metrics.buckets ?? xMetrics.document.buckets,
    slo.thresholds,
  );
  const { metrics, recordings } = measureApp(
    app,
    xMetrics,
    buckets ? { ...resolved, metrics: { ...resolved.metrics, buckets } } : resolved,
  );
  const runtime: ApiRuntime = { document, options: resolved, validation, metrics, recordings };
  const served = serveOperations(app, operations.map(toServed(runtime)), basePath);
  if (resolved.docs) app.use(buildDocsMiddleware(spec, basePath));
  app.use(served.middleware);
  // An app of our own answers everything as problems, outside the base path too (404/405 under it
  // once later routes had their turn); a user's app keeps Express's own answers outside the API.
  useFinalResponder(app, (req, res, err) =>
    resolved.app
      ? err === undefined && served.answerUnmatched(req, res)
      : answerEndOfApp(req, res, err, served),
  );
  const allWarnings = [...specWarnings, ...spec.locate(warnings)];
  for (const warning of allWarnings) {
    resolved.logger.warn(`spectrometer: ${formatProblem(warning)}`);
  }
  return {
    app,
    metrics,
    operations,
    document,
    basePath,
    warnings: allWarnings,
    labelFunctions: resolved.labelFunctions,
    listen: (port, host = '127.0.0.1') => listen(app, port, host),
  };
}

/** One boot error listing every problem; x-metrics or x-slo mistakes alone get their own code. */
function throwIfAny(api: BootProblem[], xMetrics: BootProblem[], xSlo: BootProblem[]): void {
  const problems = [...api, ...xMetrics, ...xSlo];
  if (problems.length === 0) return;
  if (api.length === 0 && xSlo.length === 0) {
    throw new SpectrometerError(
      'SPM_X_METRICS_INVALID',
      `createApi found ${problems.length} problem(s) in x-metrics`,
      problems,
    );
  }
  if (api.length === 0 && xMetrics.length === 0) {
    throw new SpectrometerError(
      'SPM_X_SLO_INVALID',
      `createApi found ${problems.length} problem(s) in x-slo`,
      problems,
    );
  }
  throw new SpectrometerError(
    'SPM_API_BOOT',
    `createApi found ${problems.length} problem(s)`,
    problems,
  );
}

function createApp(): Application {
  const app = express();
  app.disable('x-powered-by');
  return app;
}

/** The operation as the route table serves it: its pipeline, run step by step. */
function toServed(runtime: ApiRuntime): (op: RoutedOperation) => ServedOperation {
  return (op) => {
    const steps = PIPELINE.map((factory) => factory(op, runtime)).filter(
      (step): step is PipelineStep => !!step,
    );
    return {
      method: op.method,
      template: op.routeTemplate,
      routePath: op.routePath,
      serve(req: Request, res: Response) {
        const exchange: Exchange = { req, res, operation: op, state: ensureRequestState(req) };
        try {
          const pending = runSteps(steps, exchange);
          if (pending) pending.catch((error: unknown) => answerError(error, exchange));
        } catch (error) {
          answerError(error, exchange);
        }
      },
    };
  };
}

function answerEndOfApp(req: Request, res: Response, err: unknown, served: ServedApi): void {
  if (err === undefined && served.answerUnmatched(req, res)) return;
  const problem =
    err === undefined
      ? new HttpProblem({ status: 404, detail: `no operation at ${req.path}` })
      : toProblem(err).problem;
  sendProblem(res, problem);
}

function answerError(error: unknown, { req, res, state }: Exchange): void {
  const { problem, unexpected } = toProblem(error);
  if (unexpected) {
    state.exception = error;
    // The client only sees a plain 500 (or the fault's own problem); the log gets the cause.
    if (!(error instanceof ServerFault && error.logged)) logUnhandledError(req.app, error);
  }
  // What was sent is what x-metrics' response.body.* labels read.
  state.result = problem.toJSON();
  sendProblem(res, problem);
}

function listen(app: Application, port: number, host: string): Promise<Server> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer(app);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise(server);
    });
  });
}
