import type { Request, Response } from 'express';
import type { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import { defineMetric, type AnyMetric, type MetricDefinition } from './metric-definition';
import { allStatic, resolveLabelValues, staticValues, type LabelSpec } from './labels';
import { secondsBetween, type Outcome } from './request-state';
import {
  addToSeries,
  bucketsOf,
  directlyRecordable,
  ensurePromClient,
  findSeries,
  seriesHandleOf,
  zeroSummary,
} from '../adapters/prom-client';
import { recordExemplar } from './exemplar-store';
import { getRequestState } from './request-state';
import {
  DEFAULT_MAX_SERIES,
  limitSeries,
  type MetricsLogger,
  type SeriesSlot,
} from './series-limit';

/**
 * What a recorder adds per request:
 * - `count`: a counter +1;
 * - `duration`: a histogram/summary observes the seconds since the request began;
 * - `in-progress`: a gauge +1 when the request begins, -1 when it ends;
 * - a function: its number increments a counter, is observed by a histogram/summary, or is set
 *   on a gauge (`undefined` records nothing).
 */
export type Observation =
  | 'count'
  | 'duration'
  | 'in-progress'
  | ((req: Request, res: Response, outcome: Outcome) => number | undefined);

/** A metric and how one request is recorded into it: the one code path for every metric. */
export interface RecorderSpec {
  definition: Omit<MetricDefinition, 'labelNames'>;
  labels: LabelSpec[];
  observe: Observation;
  /** Create the series at 0 when every label is static. @default true */
  initialValue?: boolean;
  /** Label sets kept before new ones go to the overflow series. @default the instance's maxSeries */
  maxSeries?: number;
}

/** What a recorder falls back on when its spec does not say. */
export interface RecorderDefaults {
  /** @default 2000 */
  maxSeries: number;
  /** Where a metric that reaches its series limit says so, once. @default console */
  logger: MetricsLogger;
  /** Keep the request's trace as an exemplar (histograms and counters). @default false */
  exemplars?: boolean;
}

const RECORDER_DEFAULTS: RecorderDefaults = { maxSeries: DEFAULT_MAX_SERIES, logger: console };

/** Records one request when it ends; returned by `Recorder.begin`. */
export type FinishRecording = (res: Response, outcome: Outcome) => void;

/** A defined metric ready to record requests. */
export interface Recorder {
  readonly metric: AnyMetric;
  readonly name: string;
  /** An in-progress gauge: its finish step must always run, to bring the gauge back down. */
  readonly inProgress: boolean;
  /** Called when the request starts; the returned function records it when it ends. */
  begin(req: Request): FinishRecording;
  /**
   * Records a request that began at `start` and ended with `outcome` (not for in-progress
   * gauges). Lets callers that already know the start time skip the closure of `begin`.
   */
  record(req: Request, res: Response, outcome: Outcome, start: bigint): void;
}

/** Defines the metric of `spec` on `registry` (reusing an agreeing one) and returns its recorder. */
export function createRecorder(
  registry: Registry,
  spec: RecorderSpec,
  defaults: RecorderDefaults = RECORDER_DEFAULTS,
): Recorder {
  ensurePromClient(); // the internals `zero` relies on, checked when the first metric is defined
  const { labels, observe } = spec;
  const name = spec.definition.name;
  const metric = defineMetric(registry, {
    ...spec.definition,
    labelNames: labels.map((label) => label.name),
  });
  const maxSeries = spec.maxSeries ?? defaults.maxSeries;
  const admit = limitSeries({ metric, name, labels, maxSeries, registry, logger: defaults.logger });
  if (allStatic(labels)) {
    const { values } = admit(staticValues(labels));
    if (spec.initialValue !== false) zero(metric, spec.definition.type, values);
  }

  if (observe === 'in-progress') {
    const gauge = metric as Gauge<string>;
    return {
      metric,
      name,
      inProgress: true,
      begin(req) {
        const { values } = admit(resolveLabelValues(labels, name, registry, req));
        gauge.inc(values);
        return () => gauge.dec(values);
      },
      record() {
        // Nothing to record at the end alone: in-progress gauges need begin().
      },
    };
  }
  const type = spec.definition.type;
  const exemplars = defaults.exemplars === true && (type === 'counter' || type === 'histogram');
  const bucketBounds = type === 'histogram' ? bucketsOf(metric) : undefined;
  // Counters and histograms of prom-client's own classes are recorded straight into their
  // series once prom-client has created it; anything else always goes through its API.
  const direct =
    type === 'counter' || type === 'histogram' ? directlyRecordable(metric) : undefined;
  const addDirectly = (slot: SeriesSlot, amount: number): boolean => {
    if (!direct || amount < 0 || slot.handle === null) return false;
    if (slot.handle && addToSeries(metric, slot.handle, direct, amount, bucketBounds)) return true;
    // New, reset or removed series: prom-client creates it, then it has a handle.
    write(metric, type, slot.values, amount);
    slot.handle = seriesHandleOf(metric, slot.values);
    return true;
  };
  const recordOne = (req: Request, res: Response, outcome: Outcome, start: bigint) => {
    const amount =
      observe === 'count'
        ? 1
        : observe === 'duration'
          ? secondsBetween(start, outcome.endTime)
          : observe(req, res, outcome);
    if (amount === undefined || !Number.isFinite(amount)) return;
    const slot = admit(resolveLabelValues(labels, name, registry, req, res, outcome));
    if (!addDirectly(slot, amount)) write(metric, type, slot.values, amount);
    const trace = exemplars ? getRequestState(req)?.trace : undefined;
    if (trace && amount >= 0) recordExemplar(metric, slot.values, amount, trace, bucketBounds);
  };
  return {
    metric,
    name,
    inProgress: false,
    begin(req) {
      const start = process.hrtime.bigint();
      return (res, outcome) => recordOne(req, res, outcome, start);
    },
    record: recordOne,
  };
}

function write(
  metric: AnyMetric,
  type: string,
  values: Readonly<Record<string, string>>,
  amount: number,
) {
  switch (type) {
    case 'counter':
      if (amount >= 0) (metric as Counter<string>).inc(values, amount);
      return;
    case 'gauge':
      (metric as Gauge<string>).set(values, amount);
      return;
    default:
      (metric as Histogram<string> | Summary<string>).observe(values, amount);
  }
}

// Creates the series with these label values at 0, so it is exported before the first request.
// Unlabelled metrics are exported at 0 by prom-client itself. A series that already exists (a
// second exporter on the registry, hot reload) keeps its data. prom-client has no zero() for
// summaries: its adapter creates the series empty.
function zero(metric: AnyMetric, type: string, values: Record<string, string>): void {
  if (Object.keys(values).length === 0 || findSeries(metric, values)) return;
  if (type === 'histogram') (metric as Histogram<string>).zero(values);
  else if (type === 'counter') (metric as Counter<string>).inc(values, 0);
  else if (type === 'gauge') (metric as Gauge<string>).set(values, 0);
  else zeroSummary(metric as Summary<string>, values);
}
