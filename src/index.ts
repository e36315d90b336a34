export { PrometheusMetrics } from './metrics/prometheus-metrics';
export { monitor } from './metrics/monitor';
export { NO_PREFIX } from './metrics/types';
export { UNMATCHED } from './metrics/group-by';
export { PROMETHEUS_TEXT, OPENMETRICS_TEXT } from './metrics/exposition';
export { SpectrometerError, ERROR_CODES } from './errors';
export { VERSION } from './version';
export type { ErrorCode, BootProblem } from './errors';
export type {
  PrometheusMetricsOptions,
  MetricOptions,
  HistogramOptions,
  SummaryOptions,
  Labels,
  LabelFunction,
  LabelValue,
  GroupBy,
  MetricMiddleware,
  CounterMiddleware,
  GaugeMiddleware,
  HistogramMiddleware,
  SummaryMiddleware,
} from './metrics/types';
export type { GenerateMetricsOptions, RenderedMetrics } from './metrics/exposition';
export type { MetricsServerOptions } from './metrics/metrics-server';
export type { MonitorOptions, Monitor } from './metrics/monitor';
