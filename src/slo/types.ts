/**
 * The compiled form of `x-slo`: per operation, the objectives that apply after the nearest level
 * won key by key, and what the rules and the dashboard need to know about the metrics.
 */
import type { BootProblem } from '../errors';

/** `availability: 99.9`: the share of requests not answered with a 5xx. */
export interface AvailabilityObjective {
  /** Percent, e.g. 99.9. */
  objective: number;
  /** 1 − objective/100, e.g. 0.001. */
  budget: number;
  /** JSON pointer of the `availability` key that applies. */
  declaredAt: string;
}

/** `latency: { threshold, objective }`: the share of requests answered within `threshold` s. */
export interface LatencyObjective {
  /** Seconds; a bucket boundary of the default duration histogram. */
  threshold: number;
  /** Percent, e.g. 99. */
  objective: number;
  /** 1 − objective/100. */
  budget: number;
  /** JSON pointer of the `latency` key that applies. */
  declaredAt: string;
}

/** The objectives of one operation (at least one of availability and latency). */
export interface OperationSlo {
  /** The `operation` label value: the operationId, derived where the document has none. */
  operationId: string;
  /** Upper case, e.g. `GET`. */
  method: string;
  /** The OpenAPI path template. */
  path: string;
  /** As written, e.g. `28d`. @default '28d' */
  window: string;
  windowSeconds: number;
  availability?: AvailabilityObjective;
  latency?: LatencyObjective;
}

/** What the rules and the dashboard query: the default duration metric and its labels. */
export interface SloMetrics {
  /** The default metrics' prefix including its `_`, or `''`. */
  prefix: string;
  /** `<prefix>http_request_duration_seconds`. */
  durationMetric: string;
  /** `operation` plus the document's default labels: what every ratio is grouped by. */
  groupLabels: readonly string[];
  latency: 'histogram' | 'summary';
}

/** The result of `compileSlos`. Use the rest only when `problems` is empty. */
export interface CompiledSlos {
  /** Every problem of every `x-slo`, each with its JSON pointer and a fix. */
  problems: BootProblem[];
  /** Operations with at least one objective, in document order. */
  slos: OperationSlo[];
  /** The distinct latency thresholds, ascending: each is a bucket of the duration histogram. */
  thresholds: number[];
  /** Operations the document-level x-slo leaves out because they have no default metrics. */
  untracked: string[];
  metrics: SloMetrics;
}

/** Metrics options set in code (createApi's `metrics`) that decide what the SLIs read. */
export interface SloCodeMetricsOptions {
  defaultsPrefix?: string;
  groupBy?: unknown;
  defaultLatencyAsHistogram?: boolean;
}
