import type { BootProblem } from '../errors';
import type { Declaration } from './check-agreement';
import { isResponseSource } from './compile-labels';
import { findDefaultOwner, listDefaultMetrics } from './default-metrics';
import { formatSource } from './parse-source';
import { toPointer } from '../openapi/json-pointer';
import { problemAt } from './problem';
import type { DocumentSettings, XMetricsOptions } from './types';

/**
 * Checks x-metrics against what the exporter records by itself: default metric names, the
 * default metrics' labels, and default labels (added to every metric).
 * @example
 * checkCollisions(declarations, settings, {}) // [] when nothing clashes
 */
export function checkCollisions(
  declarations: readonly Declaration[],
  settings: DocumentSettings,
  options: XMetricsOptions,
): BootProblem[] {
  const problems: BootProblem[] = [];
  const defaultLabels = settings.defaultLabels ?? [];
  const defaults = listDefaultMetrics({
    prefix: options.defaultsPrefix ?? settings.defaultsPrefix ?? 'express',
    groupBy: settings.groupBy ?? 'operation',
    latency: settings.defaultLatencyAsHistogram === false ? 'summary' : 'histogram',
    defaultLabels: [],
  });
  const labelsAt = ['x-metrics', 'defaultLabels'];
  for (const { metric, at, operation } of declarations) {
    const owner = findDefaultOwner(metric.name, defaults);
    if (owner) {
      problems.push(
        problemAt(
          at,
          ['name'],
          `metric name "${metric.name}" is already used by ${owner}`,
          'choose another name; `spectrometer metrics <spec>` lists the default metrics',
          operation,
        ),
      );
    }
    for (const label of metric.labelNames.filter((name) =>
      defaultLabels.some((d) => d.name === name),
    )) {
      problems.push(
        problemAt(
          at,
          ['labels', label],
          `label "${label}" is also a default label (${toPointer([...labelsAt, label])}), which is added to every metric`,
          'rename this label or remove it',
          operation,
        ),
      );
    }
  }
  const reserved = new Set(
    defaults.filter((d) => d.scope === 'tracked').flatMap((metric) => metric.labelNames),
  );
  for (const { name, source } of defaultLabels) {
    if (reserved.has(name)) {
      problems.push(
        problemAt(
          labelsAt,
          [name],
          `default label "${name}" clashes with the label "${name}" of the default request metrics`,
          'rename it',
        ),
      );
    }
    const from = source.kind === 'bounded' ? source.from : source;
    const gauge = declarations.find((d) => d.metric.value.kind === 'inProgress');
    if (gauge && from.kind !== 'fixed' && from.kind !== 'function' && isResponseSource(from)) {
      problems.push(
        problemAt(
          labelsAt,
          [name],
          `default label "${name}" uses ${formatSource(from)}, but the in-progress gauge at ${toPointer(gauge.at)} is labelled before the response exists`,
          'use a request source here, or give the gauge a "value"',
        ),
      );
    }
  }
  return problems;
}
