import type { BootProblem } from '../errors';
import { checkAgreement, type Declaration } from './check-agreement';
import { checkCollisions } from './check-collisions';
import { compileDocumentSettings } from './compile-document-settings';
import { compileMetric } from './compile-metric';
import { asRecord, listOperations, type XMetricsOperation } from './list-operations';
import { problemAt, toPointer, type ProblemOperation } from './problem';
import { readLevel, type Level } from './read-level';
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
  const labelFunctions = options.labelFunctions ? Object.keys(options.labelFunctions) : undefined;
  const all = listOperations(document);
  const root = asRecord(document)?.['x-metrics'];
  const documentLevel =
    root === undefined ? undefined : readLevel('document', root, ['x-metrics'], problems);
  const pathLevels = new Map<string, Level>();
  const operationLevels = new Map<string, Level>();
  for (const op of all) {
    if (op.pathItemXMetrics !== undefined && !pathLevels.has(op.path)) {
      pathLevels.set(
        op.path,
        readLevel('pathItem', op.pathItemXMetrics, ['paths', op.path, 'x-metrics'], problems),
      );
    }
    if (op.xMetrics !== undefined) {
      operationLevels.set(
        op.key,
        readLevel(
          'operation',
          op.xMetrics,
          [...op.tokens, 'x-metrics'],
          problems,
          describeOperation(op),
        ),
      );
    }
  }
  for (const level of [...pathLevels.values(), ...operationLevels.values()])
    problems.push(...checkExcludeWithMetrics(level));

  const flags = new Map(
    all.map((op) => [op.key, readFlags(pathLevels.get(op.path), operationLevels.get(op.key))]),
  );
  const active = all.filter((op) => !flags.get(op.key)?.exclude);
  const compiledSettings = documentLevel?.record
    ? compileDocumentSettings(documentLevel.record, active, labelFunctions)
    : { settings: {}, problems: [] };
  problems.push(...compiledSettings.problems);

  const compileLevel = (level: Level | undefined, operations: XMetricsOperation[]): Declaration[] =>
    (level?.entries ?? []).flatMap(({ entry, at }) => {
      const scope = { operations, ...(labelFunctions ? { labelFunctions } : {}) };
      const { metric, issues } = compileMetric(entry, scope);
      problems.push(
        ...issues.map((issue) =>
          problemAt(at, issue.key, issue.text, issue.hint, level?.operation),
        ),
      );
      return metric
        ? [{ metric, at, ...(level?.operation ? { operation: level.operation } : {}) }]
        : [];
    });
  const fromDocument = compileLevel(documentLevel, active);
  const fromPaths = new Map(
    [...pathLevels].map(([path, level]) => [
      path,
      compileLevel(
        level,
        active.filter((op) => op.path === path),
      ),
    ]),
  );
  const fromOperations = new Map(
    active.map((op) => [op.key, compileLevel(operationLevels.get(op.key), [op])]),
  );
  const declarations = [
    ...fromDocument,
    ...[...fromPaths.values()].flat(),
    ...[...fromOperations.values()].flat(),
  ];
  problems.push(...checkAgreement(declarations));
  problems.push(...checkCollisions(declarations, compiledSettings.settings, options));

  const operations = new Map<string, OperationMetrics>();
  for (const op of all) {
    const { track, exclude } = flags.get(op.key) ?? { track: true, exclude: false };
    const applied = exclude
      ? []
      : [...fromDocument, ...(fromPaths.get(op.path) ?? []), ...(fromOperations.get(op.key) ?? [])];
    problems.push(...checkOncePerOperation(applied, op));
    operations.set(op.key, { track, exclude, metrics: applied.map((d) => d.metric) });
  }
  return { problems: dedupe(problems), document: compiledSettings.settings, operations };
}

function readFlags(pathLevel: Level | undefined, operationLevel: Level | undefined) {
  const pick = (key: 'track' | 'exclude'): boolean | undefined => {
    const own = operationLevel?.record?.[key];
    const shared = pathLevel?.record?.[key];
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
    const hint = `declare it once for ${op.key}: remove one of them or rename it`;
    problems.push(problemAt(declaration.at, ['name'], text, hint, declaration.operation));
  }
  return problems;
}

function describeOperation(op: XMetricsOperation): ProblemOperation {
  return {
    ...(op.operationId ? { operationId: op.operationId } : {}),
    method: op.method,
    path: op.path,
  };
}

function dedupe(problems: BootProblem[]): BootProblem[] {
  const seen = new Set<string>();
  return problems.filter(
    (p) => !seen.has(`${p.pointer} ${p.message}`) && Boolean(seen.add(`${p.pointer} ${p.message}`)),
  );
}
