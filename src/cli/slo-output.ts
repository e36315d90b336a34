import { writeFileSync } from 'node:fs';
import { compileObservability, type SpecObservability } from '../slo';
import { readCommandLine } from './command-args';
import { formatProblems, loadOrReport } from './lint';

/**
 * What `rules` and `dashboard` share: reads `<spec> [-o file] [--allow-external-refs]`, loads
 * the spec and compiles its x-metrics and x-slo, printing every problem (exit 1) or a usage
 * error (exit 2) when that fails; then writes what `render` makes to the file, or to stdout.
 * @example
 * await writeObservability('rules', args, (compiled, file) => renderRuleFile(buildRuleFile(compiled.slos, compiled.title), file))
 */
export async function writeObservability(
  command: 'rules' | 'dashboard',
  args: string[],
  render: (compiled: SpecObservability, file: string) => { text: string; summary: string },
): Promise<number> {
  const line = readCommandLine(command, args);
  if (!line) return 2;
  const { spec: file, options } = line;
  const loaded = await loadOrReport(file, {
    allowExternalRefs: options['allow-external-refs'] === true,
  });
  if (!loaded) return 1;
  const compiled = compileObservability(loaded);
  if (compiled.problems.length) {
    console.log(formatProblems(compiled.problems));
    console.log(
      `${file}: ${compiled.problems.length} problem(s) in x-metrics/x-slo; nothing written (spectrometer lint ${file} lists them too)`,
    );
    return 1;
  }
  const { untracked, slos } = compiled.slos;
  // Notes go to stderr, so `spectrometer rules spec > rules.yml` writes only the file.
  if (untracked.length) {
    console.error(
      `note: no SLO for ${untracked.join(', ')}: no default metrics (x-metrics track: false or exclude: true)`,
    );
  }
  if (!slos.length) console.error(`note: ${file} declares no x-slo objective`);
  const { text, summary } = render(compiled, file);
  const output = typeof options.output === 'string' ? options.output : undefined;
  if (!output) {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  }
  writeFileSync(output, text.endsWith('\n') ? text : `${text}\n`);
  console.log(`${output}: ${summary}`);
  return 0;
}
