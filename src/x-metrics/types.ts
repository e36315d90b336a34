/**
 * The compiled form of `x-metrics`: plain, typed data that the metrics runtime records from.
 * Nothing here refers to Express; a request is described by a {@link SourceContext}.
 */
import type { BootProblem } from '../errors';

/** A Prometheus metric type. */
export type XMetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/**
 * A parsed source expression such as `path.petId` or `response.body.items.length`.
 * `header`/`responseHeader` names are lowercase; `path` lists the property names to walk.
 */
export type SourceExpression =
  | { kind: 'method' }
  | { kind: 'operation' }
  | { kind: 'route' }
  | { kind: 'path'; name: string }
  | { kind: 'query'; name: string }
  | { kind: 'header'; name: string }
  | { kind: 'cookie'; name: string }
  | { kind: 'requestBody'; path: readonly string[] }
  | { kind: 'responseStatus' }
  | { kind: 'responseHeader'; name: string }
  | { kind: 'responseBody'; path: readonly string[] };

/** `{ value: main }`: the same value on every sample. */
export interface FixedLabel {
  kind: 'fixed';
  value: string;
}

/** `{ from, values, other }`: the source's value when it is one of `values`, else `other`. */
export interface BoundedLabel {
  kind: 'bounded';
  from: SourceExpression;
  values: readonly string[];
  /** @default 'other' */
  other: string;
}

/** `{ fn: name }`: `labelFunctions[name]`, called when the response ends. */
export interface FunctionLabel {
  kind: 'function';
  fn: string;
}

/** Where a label's value comes from. */
export type LabelSource = SourceExpression | FixedLabel | BoundedLabel | FunctionLabel;

/**
 * What a metric records per request. `constant` is a counter's default increment (1);
 * `inProgress` marks a gauge without `value`: +1 when the request starts, -1 when it ends.
 */
export type ValueSource =
  | SourceExpression
  | { kind: 'constant'; value: number }
  | { kind: 'duration' }
  | { kind: 'requestSize' }
  | { kind: 'responseSize' }
  | { kind: 'inProgress' };

/** One label of a compiled metric. */
export interface CompiledLabel {
  name: string;
  source: LabelSource;
}

/**
 * One metric declared in `x-metrics`, ready for prom-client. Its identifying fields (`name`,
 * `type`, `help`, `labelNames`, `buckets`, `percentiles`, `maxAgeSeconds`, `ageBuckets`) match
 * prom-client's constructor options; `labelNames` leaves out the instance's default labels.
 * Recording: resolve each `labels[i].source` with `resolveLabel` and `value` with
 * `resolveValue` when the response ends (an `inProgress` gauge: +1 at the start, -1 at the end).
 * @example
 * const histogram = new Histogram({ name: m.name, help: m.help, labelNames: [...m.labelNames], buckets: [...m.buckets ?? []] });
 * histogram.observe(Object.fromEntries(m.labels.map((l) => [l.name, resolveLabel(l.source, ctx) ?? ''])), resolveValue(m.value, ctx) ?? 0);
 */
export interface CompiledMetric {
  name: string;
  type: XMetricType;
  help: string;
  /** The metric's own label names, in declaration order. */
  labelNames: readonly string[];
  /** Histograms only; absent = prom-client's default buckets. */
  buckets?: readonly number[];
  /** Summaries only. */
  percentiles?: readonly number[];
  maxAgeSeconds?: number;
  ageBuckets?: number;
  /** Label sets kept before new ones go to the overflow series; absent = the document's or 2000. */
  maxSeries?: number;
  /** How each label is computed, same order as `labelNames`. */
  labels: readonly CompiledLabel[];
  value: ValueSource;
  /** JSON pointers of every place that declares this metric (one per level that does). */
  declaredAt: readonly string[];
}

/** The group label of the default duration metric in spec mode. */
export type XMetricsGroupBy = 'operation' | 'route' | 'path';

/**
 * Document-level settings under PrometheusMetrics option names. Only keys the document sets
 * are present, so `{ ...builtIn, ...settings, ...codeOptions }` gives the right precedence.
 */
export interface DocumentSettings {
  defaultsPrefix?: string;
  groupBy?: XMetricsGroupBy;
  buckets?: readonly number[];
  /** From `latency`: `histogram` → true, `summary` → false. */
  defaultLatencyAsHistogram?: boolean;
  /** Labels added to every metric; sources are resolved like any other label. */
  defaultLabels?: readonly CompiledLabel[];
  excludedPaths?: readonly string[];
  excludeUserDefaults?: boolean;
  /** Label sets each metric keeps (`maxSeries`). */
  maxSeries?: number;
}

/** What one operation records. */
export interface OperationMetrics {
  /** False = no default metrics (doNotTrack). */
  track: boolean;
  /** True = no metrics at all (excludeAllMetrics); `metrics` is then empty. */
  exclude: boolean;
  /** Document-level, then path-item-level, then operation-level metrics. */
  metrics: readonly CompiledMetric[];
}

/** The result of `compileXMetrics`. Use the rest only when `problems` is empty. */
export interface CompiledXMetrics {
  problems: BootProblem[];
  /** Naming advice (promtool's lint rules): printed by `lint`, never a boot error. */
  warnings: BootProblem[];
  /**
   * Labels taken raw from a client-controlled source (`path.`, `query.`, `header.`, `cookie.`,
   * `request.body.`) without `values`: warnings of `lint`, errors of `lint --strict`, never a
   * boot error (the series limit bounds them at run time).
   */
  unboundedLabels: BootProblem[];
  /**
   * What is served anyway, with a stand-in: `{ fn }` labels whose function is not given, under
   * `missingLabelFunctions: 'placeholder'`. createApi logs them as boot warnings.
   */
  bootWarnings: BootProblem[];
  document: DocumentSettings;
  /** Keyed by operationId (derived from method and path where the document has none). */
  operations: Map<string, OperationMetrics>;
}

/**
 * A function that `{ fn: name }` labels call with `SourceContext.handlerContext`.
 * `never[]` parameters accept a function of any context type.
 */
export type XMetricsLabelFunction = (...args: never[]) => unknown;

/** Options of `compileXMetrics` and `describeMetrics`. */
export interface XMetricsOptions {
  /** Functions `{ fn }` labels may name; when absent, `fn` names are not checked (lint). */
  labelFunctions?: Record<string, XMetricsLabelFunction>;
  /**
   * A `{ fn }` label whose function `labelFunctions` lacks: a problem (`'error'`), or, in mock
   * mode (`'placeholder'`), the fixed value `__missing__` and a `bootWarnings` entry.
   * @default 'error'
   */
  missingLabelFunctions?: 'error' | 'placeholder';
  /** The default metrics' prefix set in code, which wins over the document's `prefix`. */
  defaultsPrefix?: string;
}

/**
 * One request as the sources see it. Header names are lowercase. Fields that are not known yet
 * (e.g. `status` while the request is in progress) are left undefined.
 */
export interface SourceContext {
  method: string;
  operationId?: string;
  /** The OpenAPI path template, e.g. `/pets/{petId}`. */
  route?: string;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  cookies: Record<string, unknown>;
  requestBody?: unknown;
  status?: number;
  responseHeaders?: Record<string, unknown>;
  responseBody?: unknown;
  durationSeconds?: number;
  requestSize?: number;
  responseSize?: number;
  /** Passed to `{ fn }` label functions (createApi: the handler context plus res and result). */
  handlerContext?: unknown;
  /** The functions `{ fn }` labels name. */
  labelFunctions?: Record<string, XMetricsLabelFunction>;
}
