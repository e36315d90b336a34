// promtool for the SLO suites: check rules, test rules, and "does this PromQL parse".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { hasPromtool } from '../helpers/promtool';

if (!hasPromtool && !process.env.CI) {
  console.warn(
    '\n\n*** promtool not found: SKIPPING the promtool checks of test/slo (install Debian package "prometheus") ***\n\n',
  );
}

/** `describe`, or `describe.skip` without promtool outside CI (CI must have it: .ci/run installs it). */
export const describePromtool = hasPromtool || process.env.CI ? describe : describe.skip;

/** Runs promtool in `cwd`; status and everything it printed. */
export function runPromtool(
  args: string[],
  cwd?: string,
): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

/** A fresh temporary folder. */
export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'spectrometer-slo-'));
}

/**
 * Parses PromQL expressions with promtool: each becomes a recording rule of a throw-away rule
 * file that `promtool check rules` reads (it parses every expression). Returns its result.
 */
export function parseWithPromtool(expressions: readonly string[]): {
  status: number | null;
  output: string;
} {
  const file = join(makeTempDir(), 'expressions.yml');
  const rules = expressions.map((expr, index) => ({ record: `parse:check:${index}`, expr }));
  writeFileSync(file, stringify({ groups: [{ name: 'parse', rules }] }));
  return runPromtool(['check', 'rules', file]);
}
