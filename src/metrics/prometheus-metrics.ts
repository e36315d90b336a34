import type { Application, Request, RequestHandler, Response } from 'express';
import type { Server } from 'node:http';
import type { Gauge, Registry } from 'prom-client';
import { SpectrometerError } from '../errors';
import { checkMaxSeries, normalizeMetricsOptions, type NormalizedMetricsOptions } from './options';
import { VERSION } from '../version';
import { trackApp } from './app-tracking';
import { defaultMetrics, EXPORTER_INFO } from './default-metrics';
import { renderRegistry, type GenerateMetricsOptions, type RenderedMetrics } from './exposition';
import { toGroupLabel, requestPath } from './group-by';
import { mergeLabels, toLabelSpecs, type LabelSpec } from './labels';
import { defineInfoMetric } from './info-metric';
import { assertMetricName } from './metric-names';
import { metricsHandler } from './metrics-endpoint';
import { startMetricsServer, type MetricsServerOptions } from './metrics-server';
import { collectProcessMetrics } from './process-metrics';
import { createRecorder, type Recorder, type RecorderSpec } from './recorder';
import { doNotTrack, excludeAllMetrics } from './route-flags';
import {
  ensureRequestState,
  onResponseEnd,
  type EndHook,
  type RequestState,
} from './request-state';
import { traceOf } from './trace-context';
import type {
  CounterMiddleware,
  GaugeMiddleware,
  HistogramMiddleware,
  HistogramOptions,
  MetricOptions,
  PrometheusMetricsOptions,
  SummaryMiddleware,
  SummaryOptions,
} from './types';

type Renderer = (options: GenerateMetricsOptions) => Promise<RenderedMetrics>;

// What createApi and cluster mode need of an exporter's private members, set by the class's
// static block (the one place that can read them): module functions below, never public methods.
let internals: {
  beginRecording(metrics: PrometheusMetrics, recorder: Recorder, req: Request, res: Response): void;
  createRecorder(metrics: PrometheusMetrics, spec: RecorderSpec): Recorder;
  useRenderer(metrics: PrometheusMetrics, render: Renderer): void;
};

interface DefaultRecorder extends Recorder {
  onlyOnException?: boolean;
}

// Middleware created by an exporter, mapped to their recorder (for registerDefault).
const recorders = new WeakMap<RequestHandler, Recorder>();

/**
 * Prometheus metrics for an Express app: default request metrics, metric middlewares and a
 * metrics endpoint. The Express port of prometheus_flask_exporter's `PrometheusMetrics`.
 * @example
 * const app = express();
 * const metrics = new PrometheusMetrics(app, { defaultLabels: { service: 'shop' } });
 * app.get('/pets/:id', metrics.counter('pet_views_total', 'Pet views'), getPet);
 */
export class PrometheusMetrics {
  /** The registry every metric of this instance lives in. */
  readonly registry: Registry;
  readonly #options: NormalizedMetricsOptions;
  // The first app this instance was initialised with: registerEndpoint's default.
  #app?: Application;
  readonly #defaultUserMetrics: Recorder[] = [];
  readonly #apps = new WeakSet<Application>();
  #defaults?: DefaultRecorder[];
  #render: Renderer = (o) => renderRegistry(this.registry, o);
  // One function for every request (no closure per request): the default metrics at its end.
  readonly #recordDefaults: EndHook = (outcome, req, res, state) => {
    const defaults = this.#defaults;
    if (!defaults || state.doNotTrack || state.excludeAll) return;
    for (const recorder of defaults) {
      if (!recorder.onlyOnException || outcome.exception) {
        recorder.record(req as Request, res as Response, outcome, state.startTime);
      }
    }
  };

  /**
   * @param app the app to instrument now, or `null` to call `initApp` later
   * @example new PrometheusMetrics(app, { path: '/internal/metrics', groupBy: 'path' })
   */
  constructor(app: Application | null, options: PrometheusMetricsOptions = {}) {
    this.#options = normalizeMetricsOptions(options);
    this.registry = this.#options.registry;
    if (this.#options.processMetrics) collectProcessMetrics(this.registry);
    if (app) this.initApp(app);
  }

  /**
   * Creates an exporter for the app-factory pattern: `initApp(app)` attaches it to apps later.
   * @example const metrics = PrometheusMetrics.forAppFactory(); metrics.initApp(createApp());
   */
  static forAppFactory(options: PrometheusMetricsOptions = {}): PrometheusMetrics {
    return new PrometheusMetrics(null, options);
  }

  /**
   * Instruments `app`: default metrics for every request and the metrics endpoint at `path`.
   * Can be called for several apps; they share this instance's metrics. Calling it again for
   * the same app does nothing.
   * @example metrics.initApp(app)
   */
  initApp(app: Application): void {
    if (!app || typeof (app as { handle?: unknown }).handle !== 'function') {
      throw new SpectrometerError('SPM_APP_REQUIRED', 'initApp needs an Express app');
    }
    if (this.#apps.has(app)) return; // a second initApp would count every request twice
    this.#apps.add(app);
    this.#app ??= app;
    if (this.#options.exportDefaults) this.#exportDefaults();
    trackApp(app, (req, res, state) => this.#onRequest(req, res, state));
    if (this.#options.path) this.registerEndpoint(this.#options.path, app);
  }

  /**
   * Serves the metrics at `path` on `app` (for `path: null` set-ups), after `metricsMiddleware`.
   * @example metrics.registerEndpoint('/internal/metrics', app)
   */
  registerEndpoint(path: string, app: Application | undefined = this.#app): void {
    if (!app) {
      throw new SpectrometerError(
        'SPM_APP_REQUIRED',
        `registerEndpoint("${path}") needs an app: pass it or call initApp(app) first`,
      );
    }
    app.get(
      path,
      ...this.#options.metricsMiddleware,
      metricsHandler((o) => this.generateMetrics(o)),
    );
  }

  /**
   * Renders the metrics as Prometheus text, or OpenMetrics when `accept` asks for it.
   * @example const { body, contentType } = await metrics.generateMetrics({ names: ['x_total'] });
   */
  generateMetrics(options: GenerateMetricsOptions = {}): Promise<RenderedMetrics> {
    return this.#render(options);
  }

  /**
   * Serves the metrics on their own port, away from the app (not tracked).
   * @example await metrics.startHttpServer(9100, { host: '127.0.0.1' })
   */
  startHttpServer(port: number, options: MetricsServerOptions = {}): Promise<Server> {
    return startMetricsServer(port, options, this.#options.metricsMiddleware, (o) =>
      this.generateMetrics(o),
    );
  }

  /**
   * A counter middleware: +1 when the response ends. `_total` is appended to names without it.
   * @example app.get('/', metrics.counter('hits_total', 'Hits', { labels: { status: (req, res) => res!.statusCode } }), h)
   */
  counter(name: string, help: string, options: MetricOptions = {}): CounterMiddleware {
    // Like Prometheus' own clients: a counter is exposed as `<name>_total` in every format.
    assertMetricName(name);
    const total = name.endsWith('_total') ? name : `${name}_total`;
    return this.#metricMiddleware(total, options, { name: total, help, type: 'counter' }, 'count');
  }

  /**
   * A gauge middleware counting requests in progress: +1 on entry, -1 when the response ends.
   * @example app.get('/slow', metrics.gauge('slow_in_progress', 'Slow requests running'), h)
   */
  gauge(name: string, help: string, options: MetricOptions = {}): GaugeMiddleware {
    return this.#metricMiddleware(name, options, { name, help, type: 'gauge' }, 'in-progress');
  }

  /**
   * A summary middleware observing the request duration in seconds.
   * @example app.get('/', metrics.summary('page_seconds', 'Page time', { percentiles: [0.5, 0.9] }), h)
   */
  summary(name: string, help: string, options: SummaryOptions = {}): SummaryMiddleware {
    const { percentiles, maxAgeSeconds, ageBuckets } = options;
    const definition = {
      name,
      help,
      type: 'summary' as const,
      percentiles,
      maxAgeSeconds,
      ageBuckets,
    };
    return this.#metricMiddleware(name, options, definition, 'duration');
  }

  /**
   * A histogram middleware observing the request duration in seconds.
   * @example app.get('/', metrics.histogram('page_seconds', 'Page time', { buckets: [0.1, 1] }), h)
   */
  histogram(name: string, help: string, options: HistogramOptions = {}): HistogramMiddleware {
    const definition = { name, help, type: 'histogram' as const, buckets: options.buckets };
    return this.#metricMiddleware(name, options, definition, 'duration');
  }

  /**
   * Middleware: no default metrics for this route (its own metric middlewares still record).
   * @example app.get('/health', metrics.doNotTrack(), health)
   */
  doNotTrack(): RequestHandler {
    return doNotTrack;
  }

  /**
   * Middleware: no metrics at all for this route, whatever the middleware order.
   * @example app.get('/health', metrics.excludeAllMetrics(), health)
   */
  excludeAllMetrics(): RequestHandler {
    return excludeAllMetrics;
  }

  /**
   * Applies metric middlewares to every request of every app this instance tracks.
   * @example metrics.registerDefault(metrics.counter('by_path_total', 'By path', { labels: { path: (req) => req.path } }))
   */
  registerDefault(...middlewares: RequestHandler[]): void {
    for (const middleware of middlewares) {
      const recorder = recorders.get(middleware);
      if (!recorder) {
        throw new SpectrometerError(
          'SPM_INVALID_OPTION',
          'registerDefault takes middlewares made by counter(), gauge(), summary() or histogram()',
        );
      }
      this.#defaultUserMetrics.push(recorder);
    }
  }

  /**
   * An info gauge set to 1 with static labels; call `.set(value)` to change it.
   * @example metrics.info('app_info', 'Application info', { version: '1.2.3' })
   */
  info(name: string, help: string, labels: Record<string, string | number> = {}): Gauge<string> {
    return defineInfoMetric(this.registry, name, help, labels);
  }

  // Records one request with `recorder`, honouring exclusions; shared by middlewares and createApi.
  #beginRecording(recorder: Recorder, req: Request, res: Response): void {
    const state = ensureRequestState(req);
    if (state.excludeAll) return;
    if (this.#options.excludeUserDefaults && this.#isExcluded(req)) return;
    const finish = recorder.begin(req);
    const inProgress = recorder.inProgress;
    onResponseEnd(req, res, (outcome) => {
      // In-progress gauges always come back down, even when the route was excluded meanwhile.
      if (state.excludeAll && !inProgress) return;
      finish(res, outcome);
    });
  }

  // Defines a metric with this instance's registry and default labels.
  #createRecorder(spec: RecorderSpec): Recorder {
    return createRecorder(
      this.registry,
      { ...spec, labels: mergeLabels(spec.labels, this.#options.defaultLabels) },
      this.#options,
    );
  }

  #metricMiddleware<M extends RequestHandler>(
    name: string,
    options: MetricOptions,
    definition: RecorderSpec['definition'],
    observe: RecorderSpec['observe'],
  ): M {
    if (typeof options !== 'object' || options === null) {
      throw new SpectrometerError('SPM_INVALID_OPTION', `Options of ${name} must be an object`);
    }
    const labels: LabelSpec[] = toLabelSpecs(options.labels, name);
    const recorder = this.#createRecorder({
      definition,
      labels,
      observe,
      initialValue: options.initialValueWhenOnlyStaticLabels,
      maxSeries: checkMaxSeries(options.maxSeries, `maxSeries of ${name}`),
    });
    const middleware = (req: Request, res: Response, next: (err?: unknown) => void) => {
      this.#beginRecording(recorder, req, res);
      next();
    };
    Object.defineProperty(middleware, 'name', { value: `record_${name}` });
    Object.defineProperty(middleware, 'metric', { value: recorder.metric, enumerable: true });
    recorders.set(middleware, recorder);
    return middleware as unknown as M;
  }

  #exportDefaults(): void {
    if (this.#defaults) return;
    const { prefix, groupBy, latency, buckets, defaultLabels } = this.#options;
    this.#defaults = defaultMetrics({
      prefix,
      group: toGroupLabel(groupBy),
      latency,
      buckets,
      defaultLabels,
    }).map((spec) => ({
      ...createRecorder(this.registry, spec, this.#options),
      onlyOnException: spec.onlyOnException,
    }));
    this.info(
      `${prefix}${EXPORTER_INFO}`,
      'Information about the spectrometer Prometheus exporter',
      {
        version: VERSION,
      },
    );
  }

  #isExcluded(req: Request): boolean {
    const isExcludedPath = this.#options.isExcludedPath;
    return isExcludedPath !== undefined && isExcludedPath(requestPath(req));
  }

  // The hot path: runs for every request entering a tracked app.
  #onRequest(req: Request, res: Response, state: RequestState): void {
    // Read now: the active OpenTelemetry span is the request's only while it enters the app.
    if (this.#options.exemplars) state.trace ??= traceOf(req);
    if (this.#defaults && !this.#isExcluded(req)) onResponseEnd(req, res, this.#recordDefaults);
    for (const recorder of this.#defaultUserMetrics) this.#beginRecording(recorder, req, res);
  }

  static {
    internals = {
      beginRecording: (metrics, recorder, req, res) => metrics.#beginRecording(recorder, req, res),
      createRecorder: (metrics, spec) => metrics.#createRecorder(spec),
      useRenderer: (metrics, render) => {
        metrics.#render = render;
      },
    };
  }
}

/**
 * Records one request with a recorder made by `createRecorderFor`, honouring the exporter's
 * exclusions (createApi's x-metrics).
 * @example
 * beginRecording(api.metrics, recorder, req, res)
 */
export function beginRecording(
  metrics: PrometheusMetrics,
  recorder: Recorder,
  req: Request,
  res: Response,
): void {
  internals.beginRecording(metrics, recorder, req, res);
}

/**
 * Defines a metric in the exporter's registry, with its default labels (createApi's x-metrics).
 * @example
 * const recorder = createRecorderFor(api.metrics, { definition, labels: [], observe: 'count' });
 */
export function createRecorderFor(metrics: PrometheusMetrics, spec: RecorderSpec): Recorder {
  return internals.createRecorder(metrics, spec);
}

/**
 * Replaces what the exporter's scrapes render, e.g. with the aggregate of every cluster worker.
 * @example
 * useRenderer(metrics, (options) => scrapeCluster(options, timeoutMs))
 */
export function useRenderer(metrics: PrometheusMetrics, render: Renderer): void {
  internals.useRenderer(metrics, render);
}
