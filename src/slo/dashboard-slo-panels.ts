import { SELECTED, type PanelSpec } from './dashboard-panels';
import { errorRatio, matchAny, slowRatio } from './promql';
import { BURN_CONDITIONS, ratioRecord, type SloKind } from './rules';
import type { CompiledSlos, OperationSlo, SloMetrics } from './types';

/**
 * Per objective kind (availability, latency): the error budget left over each operation's window
 * and the burn rate over the page's long window, one query per group of operations that share a
 * budget, a window and a threshold.
 * @example
 * buildSloPanels(compileSlos(document)).map((p) => p.title)
 * // ['Availability: error budget left over the window', 'Availability: burn rate (1h)', …]
 */
export function buildSloPanels(compiled: CompiledSlos): PanelSpec[] {
  return (['availability', 'latency'] as const).flatMap((kind) => {
    const slos = compiled.slos.filter((slo) => slo[kind]);
    if (!slos.length) return [];
    const groups = groupByObjective(slos, kind);
    const name = kind === 'availability' ? 'Availability' : 'Latency';
    const bad = kind === 'availability' ? 'answered with a 5xx' : 'slower than its threshold';
    const legend = compiled.metrics.groupLabels.map((label) => `{{${label}}}`).join(' ');
    const budgetLeft = groups.map((group) => ({
      expr: `1 - (\n${windowRatio(compiled.metrics, kind, group)}\n) / ${group.budget}`,
      legend,
      instant: true,
    }));
    const page = BURN_CONDITIONS.page[0];
    const burn = groups.map((group) => ({
      expr: `${ratioRecord(compiled.metrics, kind, page.long)}{${matchAny('operation', group.operations)}, ${SELECTED}} / ${group.budget}`,
      legend,
    }));
    return [
      {
        type: 'bargauge',
        title: `${name}: error budget left over the window`,
        description: `Share of the error budget not yet spent over each operation's x-slo window (1 = untouched, 0 = spent, below 0 = objective missed): 1 − (share ${bad}) / budget.`,
        unit: 'percentunit',
        max: 1,
        queries: budgetLeft,
      },
      {
        type: 'timeseries',
        title: `${name}: burn rate (${page.long})`,
        description: `Share ${bad} over the last ${page.long}, divided by the error budget: 1 spends the budget exactly over the window; a page needs ${page.factor}× over ${page.long} and ${page.short}.`,
        unit: 'x',
        min: 0,
        queries: [
          ...burn,
          { expr: `vector(${page.factor})`, legend: `page (${page.factor}× over ${page.long})` },
          { expr: 'vector(1)', legend: 'budget spent exactly over the window' },
        ],
      },
    ];
  });
}

interface ObjectiveGroup {
  budget: number;
  window: string;
  threshold?: number;
  operations: string[];
}

function groupByObjective(slos: readonly OperationSlo[], kind: SloKind): ObjectiveGroup[] {
  const groups = new Map<string, ObjectiveGroup>();
  for (const slo of slos) {
    const objective = slo[kind];
    if (!objective) continue;
    const threshold = 'threshold' in objective ? objective.threshold : undefined;
    const key = `${objective.budget} ${slo.window} ${threshold}`;
    const group = groups.get(key) ?? {
      budget: objective.budget,
      window: slo.window,
      ...(threshold !== undefined ? { threshold } : {}),
      operations: [],
    };
    group.operations.push(slo.operationId);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function windowRatio(metrics: SloMetrics, kind: SloKind, group: ObjectiveGroup): string {
  const by = metrics.groupLabels;
  if (kind === 'availability') {
    const matchers = [matchAny('operation', group.operations), SELECTED];
    return errorRatio(metrics.durationMetric, matchers, group.window, by);
  }
  const groups = [{ threshold: group.threshold as number, operations: group.operations }];
  return slowRatio(metrics.durationMetric, groups, group.window, by, [SELECTED]);
}
