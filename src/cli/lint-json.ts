import type { BootProblem } from '../errors';

/** Where `lint` found a problem: the groups of its text summary line. */
export type LintArea = 'document' | 'operations' | 'schemas' | 'x-metrics' | 'x-slo';

/** One problem or warning as `lint --json` prints it (`method` upper-case). */
export interface LintJsonFinding extends BootProblem {
  /** Problems only: which check found it. */
  in?: LintArea;
}

/** What `spectrometer lint --json` prints: one object, whatever the outcome. */
export interface LintJson {
  spec: string;
  /** No problems (warnings allowed unless `--strict` made them problems). */
  ok: boolean;
  /** Absent when the document could not be read. */
  operations?: number;
  xMetricsMetrics?: number;
  problems: LintJsonFinding[];
  warnings: LintJsonFinding[];
}

/**
 * Prints lint's findings as one JSON object (pointers as in the document as written) and returns
 * the exit code: 1 with problems, else 0.
 * @example
 * printLintJson('specs/petstore.yaml', [], [], { operations: 4, xMetricsMetrics: 1 }) // 0
 */
export function printLintJson(
  spec: string,
  found: ReadonlyArray<readonly [LintArea, readonly BootProblem[]]>,
  warnings: readonly BootProblem[],
  counts: Pick<LintJson, 'operations' | 'xMetricsMetrics'> = {},
): number {
  const problems = found.flatMap(([area, list]) =>
    list.map((problem) => ({ in: area, ...toFinding(problem) })),
  );
  const report: LintJson = {
    spec,
    ok: problems.length === 0,
    ...counts,
    problems,
    warnings: warnings.map(toFinding),
  };
  console.log(JSON.stringify(report, null, 2));
  return report.ok ? 0 : 1;
}

// Checks name methods in either case; the JSON says `POST` as the text output does.
function toFinding(problem: BootProblem): LintJsonFinding {
  return problem.method ? { ...problem, method: problem.method.toUpperCase() } : { ...problem };
}
