import { SpectrometerError, type BootProblem } from '../errors';
import { loadSpec, type LoadedSpec, type LoadSpecOptions } from '../openapi/load-spec';
import { compileXMetrics, type CompiledMetric } from '../x-metrics';
import { compileSlos } from './compile-slos';
import { buildDashboard } from './dashboard';
import type { GrafanaDashboard } from './dashboard-types';
import { buildRuleFile, renderRuleFile, type RuleFile } from './rules';
import type { CompiledSlos } from './types';

/** What the rules and the dashboard of a loaded spec are built from. */
export interface SpecObservability {
  /** x-metrics and x-slo problems, pointing into the document as written. */
  problems: BootProblem[];
  title: string;
  slos: CompiledSlos;
  /** The x-metrics metrics, one per name, in declaration order. */
  metrics: CompiledMetric[];
}

/**
 * Compiles the x-metrics and x-slo of a loaded spec for `rules` and `dashboard`.
 * @example
 * const { problems, slos } = compileObservability(await loadSpec('specs/petstore.yaml'));
 */
export function compileObservability(spec: LoadedSpec): SpecObservability {
  const xMetrics = compileXMetrics(spec.document);
  const slos = compileSlos(spec.document, { xMetrics, operations: spec.operations });
  const metrics = new Map<string, CompiledMetric>();
  for (const op of xMetrics.operations.values()) {
    for (const metric of op.metrics)
      if (!metrics.has(metric.name)) metrics.set(metric.name, metric);
  }
  return {
    problems: spec.locate([...xMetrics.problems, ...slos.problems]),
    title: typeof spec.document.info?.title === 'string' ? spec.document.info.title : 'API',
    slos,
    metrics: [...metrics.values()],
  };
}

/** Options of {@link generateRules} and {@link generateDashboard}. */
export type GenerateSloOptions = LoadSpecOptions;

/**
 * The Prometheus rule file (YAML) for a spec's `x-slo`: the recorded error and slow ratios and
 * the `SLOErrorBudgetBurn` alerts. Throws `SPM_X_SLO_INVALID` listing every problem.
 * @example
 * writeFileSync('slo-rules.yml', await generateRules('specs/petstore.yaml'));
 */
export async function generateRules(
  spec: string | object,
  options: GenerateSloOptions = {},
): Promise<string> {
  const loaded = await loadSpec(spec, options);
  const compiled = compileOrThrow(loaded);
  return renderRuleFile(buildRuleFile(compiled.slos, compiled.title), describeSource(spec));
}

/**
 * The rule file of {@link generateRules} as data, e.g. to merge into your own.
 * @example
 * (await generateRuleFile('specs/petstore.yaml')).groups[1]?.rules.length
 */
export async function generateRuleFile(
  spec: string | object,
  options: GenerateSloOptions = {},
): Promise<RuleFile> {
  const compiled = compileOrThrow(await loadSpec(spec, options));
  return buildRuleFile(compiled.slos, compiled.title);
}

/**
 * The Grafana dashboard for a spec (write it with `JSON.stringify`). Throws `SPM_X_SLO_INVALID`
 * listing every problem of x-metrics and x-slo.
 * @example
 * writeFileSync('dashboard.json', JSON.stringify(await generateDashboard('specs/petstore.yaml'), null, 2));
 */
export async function generateDashboard(
  spec: string | object,
  options: GenerateSloOptions = {},
): Promise<GrafanaDashboard> {
  const compiled = compileOrThrow(await loadSpec(spec, options));
  return buildDashboard(compiled);
}

function compileOrThrow(spec: LoadedSpec): SpecObservability {
  const compiled = compileObservability(spec);
  if (compiled.problems.length) {
    throw new SpectrometerError(
      'SPM_X_SLO_INVALID',
      `${compiled.problems.length} problem(s) in x-metrics/x-slo`,
      compiled.problems,
    );
  }
  return compiled;
}

function describeSource(spec: string | object): string {
  return typeof spec === 'string' ? spec.replace(/\\/g, '/') : 'an OpenAPI document';
}
