import type { BootProblem } from '../errors';
import { toPointer } from '../openapi/json-pointer';
import { checkAgreement, type Declaration } from './check-agreement';
import { checkCollisions } from './check-collisions';
import { compileDocumentSettings } from './compile-document-settings';
import { compileMetric } from './compile-metric';
import { viewOperations, type XMetricsOperation } from './operation-view';
import { problemAt } from './problem';
import { readLevels, type Level, type Levels } from './read-level';
import type { CompiledXMetrics, OperationMetrics, XMetricsOptions } from './types';

/**
 * Validates every `x-metrics` in an OpenAPI document (document, path-item and operation level)
 * and compiles it into plain data for the metrics runtime. All problems are returned at once;
 * use the rest of the result only when there are none.
 * @example
 * const { problems, document, operations } = compileXMetrics(spec, { labelFunctions });
 * if (problems.length) throw new SpectrometerError('SPM_X_METRICS_INVALID', 'x-metrics has mistakes', problems);
 * operations.get('getPet')?.metrics.map((m) => m.name) // ['pet_lookups_total']
 */
export function compileXMetrics(
  document: unknown,
  options: XMetricsOptions = {},
): CompiledXMetrics {
  const problems: BootProblem[] = [];
  const warnings: BootProblem[] = [];
  const bootWarnings: BootProblem[] = [];
  const unboundedLabels: BootProblem[] = [];
  const labelFunctions = options.labelFunctions ? Object.keys(options.labelFunctions) : undefined;
  const { missingLabelFunctions } = options;
  const all = viewOperations(document);
  const levels = readLevels(document, all, problems);
  for (const level of [...levels.pathItems.values(), ...levels.operations.values()]) {
    problems.push(...checkExcludeWithMetrics(level));
  }
  const flags = new Map(all.map((op) => [op.operationId, readFlags(levels, op)]));
  const active = all.filter((op) => !flags.get(op.operationId)?.exclude);
  const record = levels.document?.record;
  const compiled = record
    ? compileDocumentSettings(record, active, labelFunctions, missingLabelFunctions)
    : undefined;
  problems.push(...(compiled?.problems ?? []));
  bootWarnings.push(...(compiled?.bootWarnings ?? []));
  unboundedLabels.push(...(compiled?.unboundedLabels ?? []));
  const settings = compiled?.settings ?? {};

  const compileLevel = (level: Level | undefined, scope: XMetricsOperation[]): Declaration[] =>
    (level?.entries ?? []).flatMap(({ entry, at }) => {
      const { metric, issues } = compileMetric(entry, {
        operations: scope,
        ...(labelFunctions ? { labelFunctions } : {}),
        ...(missingLabelFunctions ? { missingLabelFunctions } : {}),
      });
      const operation = level?.operation;
      for (const issue of issues) {
        const list = issue.unbounded
          ? unboundedLabels
          : issue.advice
            ? warnings
            : issue.placeholder
              ? bootWarnings
              : problems;
        list.push(problemAt(at, issue.key, issue.text, issue.hint, operation));
      }
      return metric ? [{ metric, at, ...(operation ? { operation } : {}) }] : [];
    });
  const fromDocument = compileLevel(levels.document, active);
  const fromPaths = new Map(
    [...levels.pathItems].map(([path, level]) => [
      path,
      compileLevel(
        level,
        active.filter((op) => op.path === path),
      ),
    ]),
  );
  const fromOperations = new Map(
    active.map((op) => [op.operationId, compileLevel(levels.operations.get(op.operationId), [op])]),
  );
  const declarations = [fromDocument, ...fromPaths.values(), ...fromOperations.values()].flat();
  problems.push(
    ...checkAgreement(declarations),
    ...checkCollisions(declarations, settings, options),
  );

  const operations = new Map<string, OperationMetrics>();
  for (const op of all) {
    const { track, exclude } = flags.get(op.operationId) ?? { track: true, exclude: false };
    const applied = exclude
      ? []
      : [
          ...fromDocument,
          ...(fromPaths.get(op.path) ?? []),
          ...(fromOperations.get(op.operationId) ?? []),
        ];
    problems.push(...checkOncePerOperation(applied, op));
    operations.set(op.operationId, { track, exclude, metrics: applied.map((d) => d.metric) });
  }
  return {
    problems: dedupe(problems),
    warnings: dedupe(warnings),
    bootWarnings: dedupe(bootWarnings),
    unboundedLabels: dedupe(unboundedLabels),
    document: settings,
    operations,
  };
}

// The operation's own flag wins over its path item's.
function readFlags(levels: Levels, op: XMetricsOperation): { track: boolean; exclude: boolean } {
  const pick = (key: 'track' | 'exclude'): boolean | undefined => {
    const own = levels.operations.get(op.operationId)?.record?.[key];
    const shared = levels.pathItems.get(op.path)?.record?.[key];
    return typeof own === 'boolean' ? own : typeof shared === 'boolean' ? shared : undefined;
  };
  return { track: pick('track') ?? true, exclude: pick('exclude') ?? false };
}

function checkExcludeWithMetrics(level: Level): BootProblem[] {
  const metrics = level.record?.metrics;
  if (level.record?.exclude !== true || !Array.isArray(metrics) || !metrics.length) return [];
  const text = '"metrics" are never recorded because "exclude" is true (no metrics at all)';
  const hint =
    'remove "metrics", or replace "exclude: true" with "track: false" to drop only the default metrics';
  return [problemAt(level.at, ['metrics'], text, hint, level.operation)];
}

function checkOncePerOperation(
  applied: readonly Declaration[],
  op: XMetricsOperation,
): BootProblem[] {
  const seen = new Map<string, Declaration>();
  const problems: BootProblem[] = [];
  for (const declaration of applied) {
    const first = seen.get(declaration.metric.name);
    if (!first) {
      seen.set(declaration.metric.name, declaration);
      continue;
    }
    // The text does not name the operation, so a repeated document-level entry is reported once.
    const text = `metric "${declaration.metric.name}" is also declared at ${toPointer(first.at)} for the same operation, so each request would be recorded twice`;
    const hint = `declare it once for ${op.operationId}: remove one of them or rename it`;
    problems.push(problemAt(declaration.at, ['name'], text, hint, declaration.operation));
  }
  return problems;
}

function dedupe(problems: BootProblem[]): BootProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.pointer} ${problem.message}`;
    return seen.has(key) ? false : Boolean(seen.add(key));
  });
}
