import type { Request, Response, RequestHandler } from 'express';
import type { Registry, Counter, Gauge, Histogram, Summary } from 'prom-client';

/** A label value as it ends up in the exposition. */
export type LabelValue = string | number;

/**
 * Computes a label value when the response ends (gauges: when the request starts, without `res`).
 * A function that throws never breaks the request: the sample gets `''` and the error is counted
 * in `spectrometer_label_errors_total{metric}`.
 */
export type LabelFunction = (req: Request, res?: Response) => LabelValue;

/** Label names mapped to a static value or a function of the request and response. */
export type Labels = Record<string, LabelValue | LabelFunction>;

/** How the duration metric groups requests; a named function's `name` becomes the label name. */
export type GroupBy = 'route' | 'path' | 'endpoint' | 'operation' | ((req: Request) => string);

/** The unique value of `NO_PREFIX`: default metric names without a prefix. */
export const NO_PREFIX = '#no_prefix' as const;

/** Options of `new PrometheusMetrics(app, options)`. */
export interface PrometheusMetricsOptions {
  /** Metrics endpoint on the app; `null` = none. @default '/metrics' */
  path?: string | null;
  /** Record the default request metrics. @default true */
  exportDefaults?: boolean;
  /** Prefix of the default metric names; `NO_PREFIX` or `''` = none. @default 'express' */
  defaultsPrefix?: string;
  /** Label of the duration metric. @default 'route' */
  groupBy?: GroupBy;
  /** Buckets of the default latency histogram. @default prom-client's default buckets */
  buckets?: number[];
  /** `false` makes the default latency metric a summary. @default true */
  defaultLatencyAsHistogram?: boolean;
  /** Extra labels on every metric this instance creates (not on info metrics). @default {} */
  defaultLabels?: Labels;
  /** Regexes matched from the start of the request path: no default metrics there. */
  excludedPaths?: string | RegExp | Array<string | RegExp>;
  /** Excluded paths also skip custom metrics. @default true */
  excludeUserDefaults?: boolean;
  /** Middleware run before the metrics endpoint, e.g. authentication. */
  metricsMiddleware?: RequestHandler | RequestHandler[];
  /** Where metrics live. @default prom-client's global `register` */
  registry?: Registry;
  /** Collect prom-client's process and Node.js metrics (once per registry). @default true */
  processMetrics?: boolean;
  /** Sees a handler's raw result before the built-in response converter (createApi only). */
  responseConverter?: (result: unknown, req: Request) => unknown;
  /**
   * Label sets each metric keeps; new ones then go to one overflow series whose per-request
   * labels are `__overflow__`, counted in `spectrometer_series_overflow_total{metric}`.
   * A metric's own `maxSeries` wins. @default 2000
   */
  maxSeries?: number;
  /** Receives warnings, e.g. the one a metric logs when it reaches `maxSeries`. @default console */
  logger?: { warn(message: string): void };
  /**
   * OpenMetrics scrapes carry exemplars (`trace_id`, `span_id` of the request's trace) on the
   * duration histogram and on histograms and counters this instance records. @default true
   */
  exemplars?: boolean;
}

/** Options shared by the metric methods. */
export interface MetricOptions {
  labels?: Labels;
  /** Series whose labels are all static start at 0. @default true */
  initialValueWhenOnlyStaticLabels?: boolean;
  /** Label sets this metric keeps before new ones go to its overflow series. @default the exporter's `maxSeries` */
  maxSeries?: number;
}

export interface HistogramOptions extends MetricOptions {
  buckets?: number[];
}

export interface SummaryOptions extends MetricOptions {
  percentiles?: number[];
  maxAgeSeconds?: number;
  ageBuckets?: number;
}

/** A middleware that records a metric, with the prom-client metric it records into. */
export type MetricMiddleware<M> = RequestHandler & { readonly metric: M };

export type CounterMiddleware = MetricMiddleware<Counter<string>>;
export type GaugeMiddleware = MetricMiddleware<Gauge<string>>;
export type HistogramMiddleware = MetricMiddleware<Histogram<string>>;
export type SummaryMiddleware = MetricMiddleware<Summary<string>>;

/** The four Prometheus metric types spectrometer defines. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';
