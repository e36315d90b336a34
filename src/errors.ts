/**
 * The error catalogue: every error spectrometer throws carries one of these stable codes.
 * Each code is documented in the README (a test pins that).
 */
export const ERROR_CODES = {
  SPM_INVALID_OPTION: 'An option has a value of the wrong type or out of range.',
  SPM_INVALID_METRIC_NAME: 'A metric name breaks the Prometheus naming rules.',
  SPM_INVALID_LABEL_NAME: 'A label name breaks the Prometheus rules or is reserved for the type.',
  SPM_INVALID_LABELS: 'Labels were not given as a plain object of static values or functions.',
  SPM_METRIC_CONFLICT: 'A metric name is already registered with a different definition.',
  SPM_APP_REQUIRED: 'The method needs an Express app and none was given or initialised.',
  SPM_SPEC_LOAD: 'The OpenAPI document could not be read or parsed.',
  SPM_SPEC_INVALID: 'The OpenAPI document is not a valid OpenAPI 3.0/3.1 document.',
  SPM_API_BOOT: 'createApi found problems with operations, handlers or security (all listed).',
  SPM_X_METRICS_INVALID:
    'The x-metrics extension has mistakes (all listed, each with its JSON pointer).',
  SPM_X_SLO_INVALID:
    'The x-slo extension has mistakes, or objectives the metrics cannot measure (all listed, each with its JSON pointer).',
  SPM_CLUSTER: 'Cluster mode was used outside a cluster primary or worker, or failed to aggregate.',
  SPM_CLI_USAGE: 'The command line was not understood.',
  SPM_DEPENDENCY:
    'An installed dependency lacks an internal spectrometer relies on (package, version and supported range named).',
} as const;

/** A stable, documented error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem found at boot, located as precisely as possible. */
export interface BootProblem {
  /** What is wrong, what was expected and what was found. */
  message: string;
  /** JSON pointer into the OpenAPI document, e.g. `#/paths/~1pets/get/operationId`. */
  pointer?: string;
  operationId?: string;
  method?: string;
  path?: string;
  /** A "did you mean" or "how to fix" hint. */
  hint?: string;
}

/**
 * Base class of every error spectrometer throws.
 * @example
 * try { new PrometheusMetrics(app, { path: 3 as never }) } catch (e) { if (e instanceof SpectrometerError) e.code }
 */
export class SpectrometerError extends Error {
  override name = 'SpectrometerError';
  /** Every problem found, when the error aggregates several (boot checks). */
  readonly problems: readonly BootProblem[];

  constructor(
    readonly code: ErrorCode,
    message: string,
    problems: readonly BootProblem[] = [],
  ) {
    super(problems.length ? `${message}\n${problems.map(formatProblem).join('\n')}` : message);
    this.problems = problems;
  }
}

/** Renders one problem as `- <pointer> (<method> <path>, operationId <id>): <message> (<hint>)`. */
export function formatProblem(problem: BootProblem): string {
  const where = [
    problem.method && problem.path ? `${problem.method.toUpperCase()} ${problem.path}` : undefined,
    problem.operationId ? `operationId ${problem.operationId}` : undefined,
  ].filter(Boolean);
  const head = [problem.pointer, where.length ? `(${where.join(', ')})` : undefined]
    .filter(Boolean)
    .join(' ');
  const hint = problem.hint ? ` (${problem.hint})` : '';
  return `- ${head ? `${head}: ` : ''}${problem.message}${hint}`;
}
