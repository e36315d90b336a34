import type { BootProblem } from '../errors';
import { compileLabels } from './compile-labels';
import { checkAscending } from './compile-metric';
import type { XMetricsOperation } from './operation-view';
import { problemAt, type Tokens } from './problem';
import type { DocumentSettings, XMetricsGroupBy, XMetricsOptions } from './types';

const AT: Tokens = ['x-metrics'];

/**
 * Turns the document-level keys other than `metrics` into PrometheusMetrics-style settings.
 * Only keys the document sets appear in the result. Expects a schema-checked value.
 * @example
 * compileDocumentSettings({ prefix: 'petstore', latency: 'summary' }, [], undefined).settings
 * // { defaultsPrefix: 'petstore', defaultLatencyAsHistogram: false }
 */
export function compileDocumentSettings(
  level: Record<string, unknown>,
  operations: readonly XMetricsOperation[],
  labelFunctions: readonly string[] | undefined,
  missingLabelFunctions?: XMetricsOptions['missingLabelFunctions'],
): {
  settings: DocumentSettings;
  problems: BootProblem[];
  bootWarnings: BootProblem[];
  unboundedLabels: BootProblem[];
} {
  const settings: DocumentSettings = {};
  const problems: BootProblem[] = [];
  const bootWarnings: BootProblem[] = [];
  const unboundedLabels: BootProblem[] = [];
  const { prefix, groupBy, buckets, latency, excludeUserDefaults } = level;
  if (typeof prefix === 'string') settings.defaultsPrefix = prefix;
  if (typeof groupBy === 'string') settings.groupBy = groupBy as XMetricsGroupBy;
  if (latency === 'histogram' || latency === 'summary')
    settings.defaultLatencyAsHistogram = latency === 'histogram';
  if (typeof excludeUserDefaults === 'boolean') settings.excludeUserDefaults = excludeUserDefaults;
  if (typeof level.maxSeries === 'number') settings.maxSeries = level.maxSeries;
  if (Array.isArray(buckets)) {
    const issue = checkAscending(buckets, 'buckets');
    if (issue) problems.push(problemAt(AT, issue.key, issue.text, issue.hint));
    else settings.buckets = buckets as number[];
    if (latency === 'summary') {
      problems.push(
        problemAt(
          AT,
          ['buckets'],
          '"buckets" has no effect with latency: summary',
          'remove "buckets" or use latency: histogram',
        ),
      );
    }
  }
  const excluded = compileExcludedPaths(level.excludedPaths, problems);
  if (excluded) settings.excludedPaths = excluded;
  if (level.defaultLabels !== undefined) {
    const scope = {
      operations,
      type: 'counter' as const,
      inProgress: false,
      ...(labelFunctions ? { labelFunctions } : {}),
      ...(missingLabelFunctions ? { missingLabelFunctions } : {}),
    };
    const compiled = compileLabels(level.defaultLabels, scope);
    for (const issue of compiled.issues) {
      const problem = problemAt([...AT, 'defaultLabels'], issue.key, issue.text, issue.hint);
      if (issue.unbounded) unboundedLabels.push(problem);
      if (issue.advice) continue;
      (issue.placeholder ? bootWarnings : problems).push(problem);
    }
    settings.defaultLabels = compiled.labels;
  }
  return { settings, problems, bootWarnings, unboundedLabels };
}

function compileExcludedPaths(raw: unknown, problems: BootProblem[]): string[] | undefined {
  if (raw === undefined) return undefined;
  const list =
    typeof raw === 'string'
      ? [raw]
      : Array.isArray(raw)
        ? raw.filter((p) => typeof p === 'string')
        : [];
  list.forEach((pattern: string, index) => {
    try {
      new RegExp(pattern);
    } catch (error) {
      const key = typeof raw === 'string' ? ['excludedPaths'] : ['excludedPaths', index];
      const text = `"excludedPaths${typeof raw === 'string' ? '' : `[${index}]`}" is not a regular expression: ${(error as Error).message}`;
      problems.push(
        problemAt(AT, key, text, 'check brackets and escape special characters with a backslash'),
      );
    }
  });
  return list;
}
