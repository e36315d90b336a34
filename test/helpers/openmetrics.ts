import { spawnSync } from 'node:child_process';

// A strict OpenMetrics 1.0 parser: the Python client's (Debian package python3-prometheus-client),
// which refuses what Prometheus refuses (missing # EOF, empty lines, bad exemplars, counters
// without _total, ...). It prints the parsed samples as JSON.
const PARSER = `
import json, math, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
out = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for s in family.samples:
        e = s.exemplar
        out.append({'family': family.name, 'type': family.type, 'name': s.name, 'labels': s.labels,
                    'value': s.value if math.isfinite(s.value) else str(s.value),
                    'exemplar': None if e is None else {'labels': e.labels, 'value': e.value}})
print(json.dumps(out))
`;

const PYTHON = '/usr/bin/python3';

/** True when the strict OpenMetrics parser can run here. */
export const hasOpenMetricsParser =
  spawnSync(PYTHON, ['-c', 'import prometheus_client.openmetrics.parser']).status === 0;

/** One sample as the parser read it. */
export interface ParsedSample {
  family: string;
  type: string;
  name: string;
  labels: Record<string, string>;
  /** Numbers; 'nan', 'inf' and '-inf' as strings. */
  value: number | string;
  exemplar: { labels: Record<string, string>; value: number } | null;
}

/**
 * Parses OpenMetrics text strictly; throws with the parser's message when it is not valid.
 * Without the parser: fails under CI (.ci/run installs it), otherwise warns and returns undefined.
 */
export function parseOpenMetrics(text: string): ParsedSample[] | undefined {
  if (!hasOpenMetricsParser) {
    if (process.env.CI)
      throw new Error('python3-prometheus-client is not installed, but CI requires it (.ci/run)');
    console.warn(
      '\n*** python3-prometheus-client not found: SKIPPING the strict OpenMetrics parse ***\n',
    );
    return undefined;
  }
  const result = spawnSync(PYTHON, ['-c', PARSER], {
    input: text,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`invalid OpenMetrics: ${result.stderr.trim().split('\n').pop()}`);
  return JSON.parse(result.stdout) as ParsedSample[];
}
