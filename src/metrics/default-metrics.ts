import type { Request } from 'express';
import { mergeLabels, type LabelSpec } from './labels';
import type { RecorderSpec } from './recorder';
import type { Outcome } from './request-state';

/** The default request metrics, as data: one entry per metric, recorded by the same code path as user metrics. */
export interface DefaultMetric extends RecorderSpec {
  /** Record only when the request ended in an unhandled error. */
  onlyOnException?: boolean;
}

/** Name (after the prefix) of the gauge that exports the spectrometer version. */
export const EXPORTER_INFO = 'exporter_info';

/** What the default metrics depend on. */
export interface DefaultMetricsConfig {
  /** Prefix including its trailing `_`, or `''`. */
  prefix: string;
  group: LabelSpec;
  latency: 'histogram' | 'summary';
  buckets?: number[];
  defaultLabels: LabelSpec[];
}

const method: LabelSpec = { name: 'method', resolve: (req: Request) => req.method };
const status: LabelSpec = {
  name: 'status',
  resolve: (_req: Request, _res: unknown, outcome?: Outcome) => String(outcome?.status ?? ''),
};

/** The default metrics table of DESIGN §2. */
export function defaultMetrics(config: DefaultMetricsConfig): DefaultMetric[] {
  const { prefix, group, latency, buckets, defaultLabels } = config;
  return [
    {
      definition: {
        name: `${prefix}http_request_duration_seconds`,
        help: 'HTTP request duration in seconds',
        type: latency,
        ...(latency === 'histogram' && buckets ? { buckets } : {}),
      },
      labels: mergeLabels([method, group, status], defaultLabels),
      observe: 'duration',
    },
    {
      definition: {
        name: `${prefix}http_request_total`,
        help: 'Total number of HTTP requests',
        type: 'counter',
      },
      labels: mergeLabels([method, status], defaultLabels),
      observe: 'count',
    },
    {
      definition: {
        name: `${prefix}http_request_exceptions_total`,
        help: 'Total number of HTTP requests which resulted in an unhandled exception',
        type: 'counter',
      },
      labels: mergeLabels([method, { name: 'status', value: '500' }], defaultLabels),
      observe: 'count',
      onlyOnException: true,
    },
  ];
}
