import type { Application } from 'express';
import { PrometheusMetrics } from '../../metrics/prometheus-metrics';
import type { CompiledXMetrics } from '../../x-metrics';
import type { ResolvedApiOptions } from './api-options';
import { mergeMetricsOptions } from './metrics-options';
import { buildSourceContextReader } from '../request/source-context';
import { buildXMetricsRecordings, type OperationRecording } from '../request/x-metrics-recording';

/**
 * Instruments the app: options in code > document-level x-metrics > built-in, then the
 * recorders of every operation's x-metrics.
 * @example
 * const { metrics, recordings } = measureApp(app, compileXMetrics(document), resolved);
 */
export function measureApp(
  app: Application,
  xMetrics: CompiledXMetrics,
  options: ResolvedApiOptions,
): { metrics: PrometheusMetrics; recordings: Map<string, OperationRecording> } {
  const read = buildSourceContextReader(options.labelFunctions);
  const metrics = new PrometheusMetrics(app, {
    logger: options.logger,
    ...mergeMetricsOptions(xMetrics.document, options.metrics, read),
  });
  return { metrics, recordings: buildXMetricsRecordings(xMetrics.operations, metrics, read) };
}
