import type { BootProblem } from '../errors';
import { SpectrometerError } from '../errors';
import type { LoadedSpec } from '../openapi';
import { describeDerivedIds } from '../openapi/derive-operation-id';
import {
  inspectSpec,
  specInvalid,
  type LoadSpecOptions,
  type SpecInspection,
} from '../openapi/load-spec';
import { checkServable } from '../api/boot/check-servable';
import { compileXMetrics, type CompiledXMetrics } from '../x-metrics';
import { compileSlos } from '../slo';
import { checkHandlers } from '../api/boot/boot-checks';
import { readCommandLine } from './command-args';
import { printLintJson, type LintArea } from './lint-json';

/**
 * `spectrometer lint <spec>`: checks the spec, its operationIds, its x-metrics and its x-slo. Prints every problem, pointer
 * first, and exits 1; exits 0 with one OK line. Naming advice (promtool's rules) is printed as
 * warnings and does not fail the lint, as are what createApi serves anyway (derived operationIds,
 * same-shaped paths), and labels taken raw from the client (`header.x`, not `{ from, values }`).
 * `--strict` makes missing operationIds and raw client labels errors. `{ fn }` label names are not
 * checked: the functions live in code. `--json` prints one JSON object instead (see lint-json.ts).
 * @example
 * await lint(['specs/petstore.yaml']) // 0, prints "specs/petstore.yaml: OK (…)"
 */
export async function lint(args: string[]): Promise<number> {
  const line = readCommandLine('lint', args);
  if (!line) return 2;
  const { spec: file, options } = line;
  const strict = options.strict === true;
  const json = options.json === true;
  let inspection: SpecInspection;
  try {
    inspection = await inspectSpec(file, {
      allowExternalRefs: options['allow-external-refs'] === true,
    });
  } catch (error) {
    if (!(error instanceof SpectrometerError)) throw error;
    // Unreadable: nothing else can be checked.
    if (json) return printLintJson(file, [['document', [{ message: error.message }]]], []);
    console.log(error.message);
    return 1;
  }
  const { spec } = inspection;
  // Every check a boot runs, in one round: later checks run on whatever could be listed, and are
  // only left out when the document's own problems keep them from running at all.
  const afterProblems = <T>(check: () => T, empty: T): T => {
    if (spec.operations.length === 0) return empty;
    try {
      return check();
    } catch (error) {
      if (inspection.problems.length) return empty;
      throw error;
    }
  };
  const xMetrics = afterProblems(() => compileXMetrics(spec.document), {
    problems: [],
    warnings: [],
    unboundedLabels: [],
    operations: new Map(),
  } as Pick<CompiledXMetrics, 'problems' | 'warnings' | 'unboundedLabels' | 'operations'>);
  // Labels taken raw from the client: warnings, errors with --strict.
  const unbounded = strict ? [] : xMetrics.unboundedLabels;
  const xMetricsProblems = strict
    ? [...xMetrics.problems, ...xMetrics.unboundedLabels]
    : xMetrics.problems;
  const servable = afterProblems(() => checkServable(spec), { problems: [], warnings: [] });
  const xSlo = afterProblems(
    () => compileSlos(spec.document, { operations: spec.operations }).problems,
    [],
  );
  // With --strict, each missing operationId is an error below (naming its derived id).
  const derived = strict ? describeDerivedIds(spec.operations)?.message : undefined;
  const later = spec.locate([...servable.warnings, ...xMetrics.warnings, ...unbounded]);
  const warnings = [...inspection.warnings, ...later].filter(
    (warning) => warning.message !== derived,
  );
  // What createApi would refuse whatever the handlers: duplicate (with --strict, missing) operationIds.
  const groups: Array<[LintArea, readonly BootProblem[]]> = [
    ['document', inspection.problems],
    ['operations', spec.locate(checkHandlers(spec.operations, {}, 'not-implemented', strict))],
    ['schemas', spec.locate(servable.problems)],
    ['x-metrics', spec.locate(xMetricsProblems)],
    ['x-slo', spec.locate(xSlo)],
  ];
  const found = groups.filter(([, problems]) => problems.length);
  const metrics = new Set(
    [...xMetrics.operations.values()].flatMap((op) => op.metrics.map((m) => m.name)),
  );
  if (json)
    return printLintJson(file, found, warnings, {
      operations: spec.operations.length,
      xMetricsMetrics: metrics.size,
    });
  for (const warning of warnings) console.log(`warning: ${formatProblems([warning])}`);
  if (found.length) {
    console.log(formatProblems(found.flatMap(([, problems]) => problems)));
    const counts = found.map(([area, problems]) => `${problems.length} problem(s) ${AREAS[area]}`);
    console.log(`${file}: ${counts.join(', ')}`);
    return 1;
  }
  console.log(
    `${file}: OK (${spec.operations.length} operations, ${metrics.size} x-metrics metrics${
      warnings.length ? `, ${warnings.length} warning(s)` : ''
    })`,
  );
  return 0;
}

const AREAS: Record<LintArea, string> = {
  document: 'in the OpenAPI document',
  operations: 'in the operations',
  schemas: 'in the schemas',
  'x-metrics': 'in x-metrics',
  'x-slo': 'in x-slo',
};

/**
 * Renders problems for a terminal: the JSON pointer first, then what is wrong, then the fix.
 * @example
 * formatProblems([{ pointer: '#/x-metrics/prefix', message: 'x-metrics at #/x-metrics: …' }])
 */
export function formatProblems(problems: readonly BootProblem[]): string {
  return problems
    .map((problem) => {
      const where = [
        problem.method && problem.path
          ? `${problem.method.toUpperCase()} ${problem.path}`
          : undefined,
        problem.operationId ? `operationId ${problem.operationId}` : undefined,
      ].filter(Boolean);
      const head = `${problem.pointer ?? '#'}${where.length ? ` (${where.join(', ')})` : ''}`;
      // The message repeats the pointer ("x-metrics at #/…: …"); the head already shows it.
      const text = problem.message.replace(/^x-(metrics|slo) at #\S*: /, '');
      return [head, `  ${text}`, ...(problem.hint ? [`  fix: ${problem.hint}`] : [])].join('\n');
    })
    .join('\n');
}

/**
 * The `<spec>` argument of a command whose options `--help` lists (help.ts), or undefined after
 * printing the usage error: `readCommandLine` for commands that only need the spec.
 * @example
 * readSpecArgument(['specs/petstore.yaml', '--json'], 'metrics') // 'specs/petstore.yaml'
 */
export function readSpecArgument(args: string[], command: string): string | undefined {
  return readCommandLine(command, args)?.spec;
}

/**
 * Loads a spec as `loadSpec` does, with the warnings of the load (what is served anyway); on
 * failure prints its problems and returns undefined.
 * @example
 * const loaded = await loadOrReport('specs/petstore.yaml');
 */
export async function loadOrReport(
  file: string,
  options: LoadSpecOptions = {},
): Promise<(LoadedSpec & { warnings: BootProblem[] }) | undefined> {
  try {
    const { spec, problems, warnings } = await inspectSpec(file, options);
    if (problems.length) throw specInvalid(spec, problems);
    return { ...spec, warnings };
  } catch (error) {
    if (!(error instanceof SpectrometerError)) throw error;
    if (!error.problems.length) console.log(error.message);
    else {
      console.log(formatProblems(error.problems));
      console.log(`${file}: ${error.problems.length} problem(s) in the OpenAPI document`);
    }
    return undefined;
  }
}
