// Parses Prometheus text / OpenMetrics so tests can assert exact series and values.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample line of an exposition. */
export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`unparsable sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) {
      labels[key as string] = (value as string).replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
    }
    const raw = match[3] as string;
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    samples.push({ name: match[1] as string, labels, value });
  }
  return samples;
}

/** The samples of `name` whose labels include `labels`. */
export function findSamples(text: string, name: string, labels: Record<string, string> = {}) {
  return parseSamples(text).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
}

/** The value of the one sample of `name` with exactly `labels`; undefined when absent. */
export function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.keys(labels).length;
  const match = parseSamples(text).filter(
    (s) =>
      s.name === name &&
      Object.keys(s.labels).length === wanted &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (match.length > 1) throw new Error(`several samples of ${name} ${JSON.stringify(labels)}`);
  return match[0]?.value;
}
