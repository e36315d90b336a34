import type { BootProblem } from '../errors';
import { NO_PREFIX } from '../metrics/types';
import type { CompiledXMetrics } from '../x-metrics';
import type { SloOperation } from './read-objectives';
import type { OperationSlo, SloCodeMetricsOptions, SloMetrics } from './types';

/**
 * What the rules query, from the document-level x-metrics and the options set in code.
 * @example
 * describeSloMetrics(compileXMetrics(document)).durationMetric // 'petstore_http_request_duration_seconds'
 */
export function describeSloMetrics(
  xMetrics: CompiledXMetrics,
  code: SloCodeMetricsOptions = {},
): SloMetrics {
  const raw = code.defaultsPrefix ?? xMetrics.document.defaultsPrefix ?? 'express';
  const prefix = raw === NO_PREFIX || typeof raw !== 'string' ? '' : raw;
  const withUnderscore = prefix && !prefix.endsWith('_') ? `${prefix}_` : prefix;
  const histogram = code.defaultLatencyAsHistogram ?? xMetrics.document.defaultLatencyAsHistogram;
  return {
    prefix: withUnderscore,
    durationMetric: `${withUnderscore}http_request_duration_seconds`,
    groupLabels: ['operation', ...(xMetrics.document.defaultLabels ?? []).map((l) => l.name)],
    latency: histogram === false ? 'summary' : 'histogram',
  };
}

/**
 * The SLIs are read from the duration metric grouped by operation, and latency from its buckets:
 * problems when the metrics cannot give them.
 * @example
 * checkMeasurable(slos, metrics, xMetrics) // [{ pointer: '#/x-metrics/groupBy', … }] when grouped by route
 */
export function checkMeasurable(
  slos: readonly OperationSlo[],
  metrics: SloMetrics,
  xMetrics: CompiledXMetrics,
  code: SloCodeMetricsOptions = {},
): BootProblem[] {
  if (!slos.length) return [];
  const problems: BootProblem[] = [];
  const groupBy = code.groupBy ?? xMetrics.document.groupBy ?? 'operation';
  if (groupBy !== 'operation') {
    const inCode = code.groupBy !== undefined;
    problems.push({
      message: `x-slo needs the default duration metric grouped by operation, but ${inCode ? 'the metrics option' : 'x-metrics'} groupBy is ${JSON.stringify(typeof groupBy === 'function' ? groupBy.name : groupBy)}`,
      ...(inCode ? {} : { pointer: '#/x-metrics/groupBy' }),
      hint: inCode
        ? "remove metrics.groupBy from the createApi options (spec mode groups by 'operation')"
        : 'remove groupBy from x-metrics, or set groupBy: operation',
    });
  }
  if (metrics.latency === 'summary') {
    for (const slo of slos) {
      if (!slo.latency) continue;
      problems.push({
        message: `x-slo at ${slo.latency.declaredAt.replace(/\/latency$/, '')}: a latency objective needs the default duration metric as a histogram (its ${slo.latency.threshold} s bucket), but latency is a summary`,
        pointer: slo.latency.declaredAt,
        operationId: slo.operationId,
        method: slo.method,
        path: slo.path,
        hint:
          code.defaultLatencyAsHistogram === false
            ? 'remove defaultLatencyAsHistogram: false from the metrics options, or latency: false here'
            : 'set x-metrics latency: histogram (the default), or latency: false here',
      });
    }
  }
  return problems;
}

/**
 * The problem of an objective written on an operation without default metrics.
 * @example
 * describeUntracked(op, '#/paths/~1b/put/x-slo/availability', false).message
 */
export function describeUntracked(
  op: SloOperation,
  pointer: string,
  exclude: boolean,
): BootProblem {
  const why = exclude ? 'x-metrics exclude: true' : 'x-metrics track: false';
  return {
    message: `x-slo at ${pointer.replace(/\/(availability|latency)$/, '')}: ${op.operationId ?? `${op.method.toUpperCase()} ${op.path}`} has no default metrics (${why}), so no objective can be measured`,
    pointer,
    ...(op.operationId ? { operationId: op.operationId } : {}),
    method: op.method.toUpperCase(),
    path: op.path,
    hint: `remove this x-slo (or write x-slo: false), or remove ${why.replace('x-metrics ', '')}`,
  };
}
