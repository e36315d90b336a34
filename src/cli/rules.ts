import { buildRuleFile, renderRuleFile, type AlertingRule } from '../slo';
import { writeObservability } from './slo-output';

/**
 * `spectrometer rules <spec> [-o file]`: the Prometheus rule file for the spec's x-slo (the
 * recorded error and slow ratios, the SLOErrorBudgetBurn alerts), on stdout or into the file.
 * Exits 1 with every problem when x-metrics or x-slo has mistakes.
 * @example
 * await rules(['specs/petstore.yaml', '-o', 'slo-rules.yml']) // 0
 */
export async function rules(args: string[]): Promise<number> {
  return writeObservability('rules', args, (compiled, file) => {
    const ruleFile = buildRuleFile(compiled.slos, compiled.title);
    const all = ruleFile.groups.flatMap((group) => group.rules);
    const alerts = all.filter((rule): rule is AlertingRule => 'alert' in rule).length;
    return {
      text: renderRuleFile(ruleFile, file),
      summary: `${all.length - alerts} recording rules, ${alerts} alerts for ${compiled.slos.slos.length} operation(s) with an SLO`,
    };
  });
}
