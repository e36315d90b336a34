import { SpectrometerError } from '../errors';
import type { MetricType } from './types';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Throws unless `name` is a valid Prometheus metric name. */
export function assertMetricName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    throw new SpectrometerError(
      'SPM_INVALID_METRIC_NAME',
      `Invalid metric name: ${JSON.stringify(name)} (expected [a-zA-Z_:][a-zA-Z0-9_:]*)`,
    );
  }
}

/** Throws unless `label` is a valid, non-reserved label name for a metric of `type`. */
export function assertLabelName(label: string, metric: string, type: MetricType): void {
  if (!LABEL_NAME.test(label)) {
    throw new SpectrometerError(
      'SPM_INVALID_LABEL_NAME',
      `Invalid label name ${JSON.stringify(label)} on metric ${metric} (expected [a-zA-Z_][a-zA-Z0-9_]*)`,
    );
  }
  const reserved =
    label.startsWith('__') ||
    (type === 'histogram' && label === 'le') ||
    (type === 'summary' && label === 'quantile');
  if (reserved) {
    throw new SpectrometerError(
      'SPM_INVALID_LABEL_NAME',
      `Label name ${JSON.stringify(label)} is reserved on ${type} metric ${metric}`,
    );
  }
}
