// The x-metrics layer's surface, used by createApi, the CLI and src/index.ts.
export { compileXMetrics } from './compile-x-metrics';
export { describeMetrics } from './describe';
export type { MetricDescription } from './describe';
export { resolveSource, resolveLabel, resolveValue } from './resolve-source';
export { SCHEMA_FILE } from './load-schema';
export type {
  BoundedLabel,
  CompiledLabel,
  CompiledMetric,
  CompiledXMetrics,
  DocumentSettings,
  FixedLabel,
  FunctionLabel,
  LabelSource,
  OperationMetrics,
  SourceContext,
  SourceExpression,
  ValueSource,
  XMetricsGroupBy,
  XMetricsLabelFunction,
  XMetricsOptions,
  XMetricType,
} from './types';
