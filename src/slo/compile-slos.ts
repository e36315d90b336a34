import type { BootProblem } from '../errors';
import { deriveOperationId } from '../openapi/derive-operation-id';
import type { Operation } from '../openapi/operation';
import { compileXMetrics, type CompiledXMetrics } from '../x-metrics';
import { checkMeasurable, describeSloMetrics, describeUntracked } from './measurable';
import { asRecord, sloProblem, toPointer } from './problem';
import { checkSloSchema } from './check-schema';
import {
  listSloOperations,
  readValue,
  resolveKey,
  type Resolved,
  type SloLevelValue,
  type SloOperation,
} from './read-objectives';
import type { CompiledSlos, OperationSlo, SloCodeMetricsOptions } from './types';
import { DEFAULT_WINDOW, MAX_WINDOW_SECONDS, MIN_WINDOW_SECONDS, parseWindow } from './window';

/** Options of {@link compileSlos}. */
export interface CompileSlosOptions {
  /** The document's compiled x-metrics; compiled here when not given. */
  xMetrics?: CompiledXMetrics;
  /** The loaded operations, whose derived operationIds label operations that lack one. */
  operations?: readonly Operation[];
  /** Metrics options set in code (createApi's `metrics`), which win over the document. */
  metrics?: SloCodeMetricsOptions;
}

type Levels = Array<[Resolved<unknown>['level'], SloLevelValue | undefined]>;

const isPercentage = (v: unknown): v is number => typeof v === 'number' && v > 0 && v < 100;
const isWindow = (v: unknown): v is string => typeof v === 'string';
const isLatency = (v: unknown): v is { threshold: number; objective: number } => {
  const record = asRecord(v);
  return (
    typeof record?.threshold === 'number' && record.threshold > 0 && isPercentage(record.objective)
  );
};

/**
 * Validates every `x-slo` of a dereferenced OpenAPI document (document, path-item and operation
 * level; the nearest level wins per key) and resolves each operation's objectives. Every problem
 * is returned at once, with its pointer and a fix; use the rest only when there are none.
 * @example
 * const { problems, slos, thresholds } = compileSlos(document);
 * slos[0] // { operationId: 'listPets', window: '28d', availability: { objective: 99.9, budget: 0.001, … }, … }
 */
export function compileSlos(document: unknown, options: CompileSlosOptions = {}): CompiledSlos {
  const xMetrics = options.xMetrics ?? compileXMetrics(document);
  const metrics = describeSloMetrics(xMetrics, options.metrics);
  const problems: BootProblem[] = [];
  const root = readValue(asRecord(document)?.['x-slo'], ['x-slo']);
  if (root) problems.push(...checkSloSchema('document', root.raw, root.at));
  const checkedPaths = new Set<string>();
  const slos: OperationSlo[] = [];
  const untracked: string[] = [];
  for (const op of listSloOperations(document)) {
    if (op.pathItem && !checkedPaths.has(op.path)) {
      checkedPaths.add(op.path);
      problems.push(...checkSloSchema('pathItem', op.pathItem.raw, op.pathItem.at));
    }
    if (op.own) problems.push(...checkSloSchema('operation', op.own.raw, op.own.at, op));
    const levels: Levels = [
      ['document', root],
      ['pathItem', op.pathItem],
      ['operation', op.own],
    ];
    const slo = resolveOperation(op, levels, labelOf(op, options.operations), problems);
    if (!slo) continue;
    // Keyed by operationId, derived or written (older x-metrics: `METHOD /path` without one).
    const flags =
      xMetrics.operations.get(slo.operationId) ??
      xMetrics.operations.get(`${slo.method} ${slo.path}`);
    if (flags && (!flags.track || flags.exclude)) {
      const own = [slo.availability, slo.latency].filter(
        (o) => o && !o.declaredAt.startsWith('#/x-slo'),
      );
      if (!own.length) untracked.push(slo.operationId);
      else problems.push(describeUntracked(op, own[0]?.declaredAt ?? '', flags.exclude));
      continue;
    }
    slos.push(slo);
  }
  problems.push(...checkMeasurable(slos, metrics, xMetrics, options.metrics));
  const thresholds = [...new Set(slos.flatMap((s) => (s.latency ? [s.latency.threshold] : [])))];
  return {
    problems: dedupe(problems),
    slos,
    thresholds: thresholds.sort((a, b) => a - b),
    untracked,
    metrics,
  };
}

function resolveOperation(
  op: SloOperation,
  levels: Levels,
  operationId: string,
  problems: BootProblem[],
): OperationSlo | undefined {
  const availability = resolveKey('availability', levels, isPercentage);
  const latency = resolveKey('latency', levels, isLatency);
  if (!availability?.value && !latency?.value) return undefined;
  const on = levels.filter(([, value]) => !value?.off);
  const window = resolveKey('window', on, isWindow);
  const written = window?.value || DEFAULT_WINDOW;
  const seconds = parseWindow(written);
  if (window?.value && seconds !== undefined && !isWindowInRange(seconds)) {
    const text = `"window" must be between 7d and 90d, got ${JSON.stringify(written)}`;
    const hint = 'use e.g. window: 28d; a shorter window forgives too fast, a longer one too late';
    problems.push(sloProblem(window.at, ['window'], text, hint));
  }
  return {
    operationId,
    method: op.method.toUpperCase(),
    path: op.path,
    window: written,
    windowSeconds: seconds ?? (parseWindow(DEFAULT_WINDOW) as number),
    ...(availability?.value
      ? {
          availability: {
            objective: availability.value,
            budget: toBudget(availability.value),
            declaredAt: toPointer([...availability.at, 'availability']),
          },
        }
      : {}),
    ...(latency?.value
      ? {
          latency: {
            threshold: latency.value.threshold,
            objective: latency.value.objective,
            budget: toBudget(latency.value.objective),
            declaredAt: toPointer([...latency.at, 'latency']),
          },
        }
      : {}),
  };
}

function labelOf(op: SloOperation, operations: readonly Operation[] = []): string {
  const loaded = operations.find((o) => o.method === op.method && o.path === op.path);
  return loaded?.operationId ?? op.operationId ?? deriveOperationId(op.method, op.path);
}

function isWindowInRange(seconds: number): boolean {
  return seconds >= MIN_WINDOW_SECONDS && seconds <= MAX_WINDOW_SECONDS;
}

/** 1 − objective/100 without floating-point noise: 99.9 → 0.001, not 0.0010000000000000009. */
export function toBudget(objective: number): number {
  return Number(((100 - objective) / 100).toPrecision(12));
}

function dedupe(problems: BootProblem[]): BootProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.pointer} ${p.message}`;
    return seen.has(key) ? false : Boolean(seen.add(key));
  });
}
