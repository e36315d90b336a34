import type { Request, Response } from 'express';
import type { LabelSpec } from '../../metrics/labels';
import {
  beginRecording,
  createRecorderFor,
  type PrometheusMetrics,
} from '../../metrics/prometheus-metrics';
import type { Observation, Recorder, RecorderSpec } from '../../metrics/recorder';
import type { Outcome } from '../../metrics/request-state';
import {
  resolveLabel,
  resolveValue,
  type CompiledLabel,
  type CompiledMetric,
  type OperationMetrics,
  type ValueSource,
} from '../../x-metrics';
import { countResponseBytes } from '../response/message-size';
import type { PipelineStep } from './pipeline';
import type { ReadSourceContext } from './source-context';

/** What one operation records, ready for requests: the recorders of its x-metrics. */
export interface OperationRecording {
  /** False = no default metrics for the operation. */
  track: boolean;
  /** True = no metrics at all for the operation. */
  exclude: boolean;
  recorders: Recorder[];
  /** Some metric records `response.size`, so the response's bytes are counted. */
  countsResponseBytes: boolean;
}

/**
 * Creates the recorders of every operation's x-metrics at boot. A metric declared once and
 * applied to many operations (document or path-item level) is one recorder; one name declared
 * in several places is one prom-client metric (the runtime reuses agreeing definitions).
 * @example
 * const recordings = buildXMetricsRecordings(compiled.operations, api.metrics, read);
 * recordings.get('getPet')?.recorders.map((r) => r.name) // ['pet_lookups_total']
 */
export function buildXMetricsRecordings(
  operations: ReadonlyMap<string, OperationMetrics>,
  metrics: PrometheusMetrics,
  read: ReadSourceContext,
): Map<string, OperationRecording> {
  const byDeclaration = new Map<CompiledMetric, Recorder>();
  const recordings = new Map<string, OperationRecording>();
  for (const [operationId, { track, exclude, metrics: declared }] of operations) {
    const recorders = declared.map((metric) => {
      let recorder = byDeclaration.get(metric);
      if (!recorder) {
        recorder = createRecorderFor(metrics, toRecorderSpec(metric, read));
        byDeclaration.set(metric, recorder);
      }
      return recorder;
    });
    const countsResponseBytes = declared.some((metric) => metric.value.kind === 'responseSize');
    recordings.set(operationId, { track, exclude, recorders, countsResponseBytes });
  }
  return recordings;
}

/**
 * The pipeline step that applies an operation's x-metrics as soon as it is matched: `track` and
 * `exclude` flags, then every recorder begins (durations include validation; in-progress
 * gauges rise now). Validation failures and handler errors are recorded too.
 * @returns `undefined` when the operation has nothing to apply
 */
export function buildXMetricsStep(
  recording: OperationRecording | undefined,
  metrics: PrometheusMetrics,
): PipelineStep | undefined {
  if (!recording) return undefined;
  const { track, exclude, recorders, countsResponseBytes } = recording;
  if (track && !exclude && recorders.length === 0) return undefined;
  return function beginXMetrics({ req, res, state }) {
    if (!track) state.doNotTrack = true;
    if (exclude) {
      state.excludeAll = true;
      return;
    }
    if (countsResponseBytes) countResponseBytes(res);
    for (const recorder of recorders) beginRecording(metrics, recorder, req, res);
  };
}

/** One compiled x-metrics metric as a recorder spec of the metrics runtime. */
function toRecorderSpec(metric: CompiledMetric, read: ReadSourceContext): RecorderSpec {
  const { name, help, type, buckets, percentiles, maxAgeSeconds, ageBuckets, maxSeries } = metric;
  return {
    definition: {
      name,
      help,
      type,
      ...(buckets ? { buckets } : {}),
      ...(percentiles ? { percentiles } : {}),
      ...(maxAgeSeconds !== undefined ? { maxAgeSeconds } : {}),
      ...(ageBuckets !== undefined ? { ageBuckets } : {}),
    },
    labels: metric.labels.map((label) => toLabelSpec(label, read)),
    observe: toObservation(metric.value, read),
    ...(maxSeries !== undefined ? { maxSeries } : {}),
  };
}

// Fixed labels stay static, so series whose labels are all fixed are exported at 0 from boot.
function toLabelSpec({ name, source }: CompiledLabel, read: ReadSourceContext): LabelSpec {
  if (source.kind === 'fixed') return { name, value: source.value };
  return {
    name,
    resolve: (req: Request, res?: Response, outcome?: Outcome) =>
      resolveLabel(source, read(req, res, outcome)),
  };
}

// The runtime measures durations and counts itself; everything else is read from the request.
function toObservation(value: ValueSource, read: ReadSourceContext): Observation {
  switch (value.kind) {
    case 'inProgress':
      return 'in-progress';
    case 'duration':
      return 'duration';
    case 'constant': {
      const amount = value.value;
      return amount === 1 ? 'count' : () => amount;
    }
    default:
      return (req, res, outcome) => resolveValue(value, read(req, res, outcome));
  }
}
