import type { BootProblem } from '../errors';
import { SpectrometerError } from '../errors';
import { loadSpec, type LoadedSpec } from '../spec';
import { compileXMetrics } from '../x-metrics';
import { checkHandlers } from '../api/boot-checks';

/**
 * `spectrometer lint <spec>`: checks the spec, its operationIds and its x-metrics. Prints every problem, pointer
 * first, and exits 1; exits 0 with one OK line. Naming advice (promtool's rules) is printed as
 * warnings and does not fail the lint. `{ fn }` label names are not checked: the
 * functions live in code.
 * @example
 * await lint(['specs/petstore.yaml']) // 0, prints "specs/petstore.yaml: OK (…)"
 */
export async function lint(args: string[]): Promise<number> {
  const file = readSpecArgument(args, 'lint', []);
  if (!file) return 2;
  const loaded = await loadOrReport(file);
  if (!loaded) return 1;
  const { problems, warnings, operations } = compileXMetrics(loaded.document);
  if (warnings.length) {
    for (const warning of warnings) console.log(`warning: ${formatProblems([warning])}`);
  }
  // What createApi would refuse whatever the handlers: missing and duplicate operationIds.
  const specProblems = checkHandlers(loaded.operations, {}, 'not-implemented');
  if (specProblems.length || problems.length) {
    console.log(formatProblems([...specProblems, ...problems]));
    const counts = [
      specProblems.length ? `${specProblems.length} problem(s) in the operations` : '',
      problems.length ? `${problems.length} problem(s) in x-metrics` : '',
    ].filter(Boolean);
    console.log(`${file}: ${counts.join(', ')}`);
    return 1;
  }
  const metrics = new Set([...operations.values()].flatMap((op) => op.metrics.map((m) => m.name)));
  console.log(
    `${file}: OK (${loaded.operations.length} operations, ${metrics.size} x-metrics metrics)`,
  );
  return 0;
}

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
      const text = problem.message.replace(/^x-metrics at #\S*: /, '');
      return [head, `  ${text}`, ...(problem.hint ? [`  fix: ${problem.hint}`] : [])].join('\n');
    })
    .join('\n');
}

/**
 * The `<spec>` argument of a command, or undefined after printing the usage.
 * @example
 * readSpecArgument(['specs/petstore.yaml', '--json'], 'metrics', ['--json']) // 'specs/petstore.yaml'
 */
export function readSpecArgument(
  args: string[],
  command: string,
  flags: string[],
): string | undefined {
  const unknown = args.find((arg) => arg.startsWith('-') && !flags.includes(arg));
  const files = args.filter((arg) => !arg.startsWith('-'));
  if (unknown || files.length !== 1) {
    const usage = `usage: spectrometer ${command} <spec>${flags.map((flag) => ` [${flag}]`).join('')}`;
    console.error(unknown ? `unknown option ${unknown}\n${usage}` : usage);
    return undefined;
  }
  return files[0];
}

/**
 * Loads a spec with `loadSpec`; on failure prints its problems and returns undefined.
 * @example
 * const loaded = await loadOrReport('specs/petstore.yaml');
 */
export async function loadOrReport(file: string): Promise<LoadedSpec | undefined> {
  try {
    return await loadSpec(file);
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
