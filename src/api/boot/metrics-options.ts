import type { Request, Response } from 'express';
import type { Outcome } from '../../metrics/request-state';
import type { LabelFunction, Labels, PrometheusMetricsOptions } from '../../metrics/types';
import { resolveLabel, type DocumentSettings, type LabelSource } from '../../x-metrics';
import type { ReadSourceContext } from '../request/source-context';

/** createApi's built-in metrics options: the lowest precedence. */
export const BUILT_IN_METRICS: Readonly<PrometheusMetricsOptions> = { groupBy: 'operation' };

/**
 * The PrometheusMetrics options of an API: options passed in code win over the document-level
 * `x-metrics`, which wins over the built-in defaults. Default labels merge by name (code wins
 * per label); every other option is taken whole from the highest level that sets it.
 * @example
 * mergeMetricsOptions({ defaultsPrefix: 'petstore', groupBy: 'route' }, { groupBy: 'path' }, read)
 * // { groupBy: 'path', defaultsPrefix: 'petstore' }
 */
export function mergeMetricsOptions(
  document: DocumentSettings,
  code: PrometheusMetricsOptions,
  read: ReadSourceContext,
): PrometheusMetricsOptions {
  const fromDocument = toMetricsOptions(document, read);
  const fromCode = Object.fromEntries(
    Object.entries(code).filter(([, value]) => value !== undefined),
  ) as PrometheusMetricsOptions;
  const merged: PrometheusMetricsOptions = { ...BUILT_IN_METRICS, ...fromDocument, ...fromCode };
  if (fromDocument.defaultLabels && fromCode.defaultLabels)
    merged.defaultLabels = { ...fromDocument.defaultLabels, ...fromCode.defaultLabels };
  return merged;
}

/**
 * The document-level `x-metrics` settings as PrometheusMetrics options; label sources become
 * label functions over the request and response.
 */
function toMetricsOptions(
  settings: DocumentSettings,
  read: ReadSourceContext,
): PrometheusMetricsOptions {
  const options: PrometheusMetricsOptions = {};
  if (settings.defaultsPrefix !== undefined) options.defaultsPrefix = settings.defaultsPrefix;
  if (settings.groupBy !== undefined) options.groupBy = settings.groupBy;
  if (settings.buckets) options.buckets = [...settings.buckets];
  if (settings.defaultLatencyAsHistogram !== undefined)
    options.defaultLatencyAsHistogram = settings.defaultLatencyAsHistogram;
  if (settings.excludedPaths) options.excludedPaths = [...settings.excludedPaths];
  if (settings.excludeUserDefaults !== undefined)
    options.excludeUserDefaults = settings.excludeUserDefaults;
  if (settings.maxSeries !== undefined) options.maxSeries = settings.maxSeries;
  if (settings.defaultLabels) {
    const labels: Labels = {};
    for (const { name, source } of settings.defaultLabels)
      labels[name] = source.kind === 'fixed' ? source.value : toLabelFunction(source, read);
    options.defaultLabels = labels;
  }
  return options;
}

/**
 * A PrometheusMetrics label function computing `source` for a request. The runtime also passes
 * the request's `Outcome` (its recorded status), which `response.status` reads.
 */
function toLabelFunction(source: LabelSource, read: ReadSourceContext): LabelFunction {
  return function resolveDefaultLabel(req: Request, res?: Response, outcome?: Outcome) {
    return resolveLabel(source, read(req, res, outcome)) ?? '';
  };
}
