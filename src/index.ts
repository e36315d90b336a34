// The public surface of spectrometer: explicit names only (pinned by test/type-surface.test.ts
// and, at run time, test/package.test.ts).
export { PrometheusMetrics } from './metrics/prometheus-metrics';
export { monitor } from './metrics/monitor';
export { NO_PREFIX } from './metrics/types';
export { UNMATCHED } from './metrics/group-by';
export { PROMETHEUS_TEXT, OPENMETRICS_TEXT } from './metrics/exposition';
export {
  ClusterAggregator,
  startClusterMetricsServer,
  shareWorkerMetrics,
  aggregateFamilies,
  CLUSTER_WORKERS_METRIC,
  DEFAULT_CLUSTER_TIMEOUT_MS,
} from './metrics/cluster';
export { createApi } from './api/boot/create-api';
export { reply, noContent, isReply } from './api/response/reply';
export { HttpProblem } from './api/response/http-problem';
export { loadSpec } from './openapi/load-spec';
export { compileXMetrics, describeMetrics } from './x-metrics';
export { compileSlos, generateRules, generateRuleFile, generateDashboard } from './slo';
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
export type {
  ClusterAggregatorOptions,
  ClusterScrape,
  ShareWorkerMetricsOptions,
  SharedWorkerMetrics,
  WorkerAnswer,
  WorkerCounts,
  WorkerState,
} from './metrics/cluster';
export type { Api } from './api/boot/create-api';
export type {
  CreateApiOptions,
  ValidationOptions,
  MissingHandler,
  ApiLabelFunction,
  Logger,
  ResponseReportOptions,
} from './api/boot/api-options';
export type { LabelFunctionContext } from './api/request/source-context';
export type { AfterHandlerHook, HandledExchange } from './api/request/pipeline';
export type {
  Handler,
  Handlers,
  HandlerContext,
  SecurityHandler,
  SecurityHandlers,
} from './api/request/handler-context';
export type { Reply, ReplyOptions, ReplyHeaders } from './api/response/reply';
export type {
  OperationTypes,
  TypedHandler,
  TypedHandlers,
  TypedHandlerContext,
  TypedSecurityHandlers,
  HandlerResult,
} from './api/typed-handlers';
export type { ProblemDetails, ProblemIssue } from './api/response/http-problem';
export type { LoadedSpec } from './openapi/load-spec';
export type { Operation } from './openapi/operation';
export type {
  CompiledXMetrics,
  CompiledMetric,
  DocumentSettings,
  MetricDescription,
  XMetricsOptions,
} from './x-metrics';
export type {
  AlertingRule,
  AvailabilityObjective,
  CompiledSlos,
  CompileSlosOptions,
  GenerateSloOptions,
  GrafanaDashboard,
  GrafanaDataSourceRef,
  GrafanaPanel,
  GrafanaRow,
  GrafanaTarget,
  GrafanaVariable,
  LatencyObjective,
  OperationSlo,
  RecordingRule,
  RuleFile,
  SloMetrics,
} from './slo';
