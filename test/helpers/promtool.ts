import { spawnSync } from 'node:child_process';

/** True when `promtool` can run here. */
export const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

/**
 * Runs `promtool check metrics` on an exposition and returns its exit status and output.
 * Without promtool: fails under CI (it must be installed there), otherwise warns loudly and
 * returns `undefined` so the caller can skip its assertions.
 */
export function promtoolCheckMetrics(
  text: string,
): { status: number | null; output: string } | undefined {
  if (!hasPromtool) {
    if (process.env.CI)
      throw new Error(
        'promtool is not installed, but CI requires it (.ci/run installs Debian prometheus)',
      );
    console.warn(
      '\n\n*** promtool not found: SKIPPING `promtool check metrics` (install Debian package "prometheus") ***\n\n',
    );
    return undefined;
  }
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
