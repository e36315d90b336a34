/** The recording windows of DESIGN §10, shortest first. */
export const RATIO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/** One window of the recording rules. */
export type RatioWindow = (typeof RATIO_WINDOWS)[number];

/**
 * A PromQL string literal (double-quoted, Go escapes).
 * @example
 * quote('get"Pet') // '"get\\"Pet"'
 */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/**
 * A matcher of `label` for exactly these values: `=` for one, `=~` with each value regex-escaped
 * for several.
 * @example
 * matchAny('operation', ['listPets', 'getPet']) // 'operation=~"listPets|getPet"'
 */
export function matchAny(label: string, values: readonly string[]): string {
  if (values.length === 1) return `${label}=${quote(values[0] as string)}`;
  const escaped = values.map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return `${label}=~${quote(escaped.join('|'))}`;
}

/**
 * The matcher of the histogram bucket whose upper bound is `threshold`. Prometheus 3 writes
 * whole-number bounds as `1.0` where prom-client exposes `1`: both are matched.
 * @example
 * matchBucket(0.3) // 'le="0.3"'
 * matchBucket(1) // 'le=~"1|1.0"'
 */
export function matchBucket(threshold: number): string {
  const text = String(threshold);
  return Number.isInteger(threshold) ? `le=~${quote(`${text}|${text}.0`)}` : `le=${quote(text)}`;
}

/**
 * `sum by (labels) (rate(metric{matchers}[window]))`.
 * @example
 * sumRate('x_count', ['operation="a"'], '5m', ['operation']) // 'sum by (operation) (rate(x_count{operation="a"}[5m]))'
 */
export function sumRate(
  metric: string,
  matchers: readonly string[],
  window: string,
  by: readonly string[],
): string {
  return `sum by (${by.join(', ')}) (rate(${metric}{${matchers.join(', ')}}[${window}]))`;
}

/**
 * The 5xx share per group: 0 (not nothing) where a group had requests and no 5xx.
 * @example
 * errorRatio('x', ['operation=~"a|b"'], '5m', ['operation'])
 */
export function errorRatio(
  durationMetric: string,
  matchers: readonly string[],
  window: string,
  by: readonly string[],
): string {
  const count = `${durationMetric}_count`;
  const errors = sumRate(count, [...matchers, 'status=~"5.."'], window, by);
  const total = sumRate(count, matchers, window, by);
  return `(\n  ${errors}\nor\n  0 * ${total}\n)\n/\n${total}`;
}

/**
 * The share slower than each group's threshold: 1 − (requests within it) / requests. `groups`
 * pairs a threshold with the operations that have it.
 * @example
 * slowRatio('x', [{ threshold: 0.3, operations: ['a'] }], '5m', ['operation'])
 */
export function slowRatio(
  durationMetric: string,
  groups: ReadonlyArray<{ threshold: number; operations: readonly string[] }>,
  window: string,
  by: readonly string[],
  extraMatchers: readonly string[] = [],
): string {
  const within = groups
    .map(({ threshold, operations }) =>
      sumRate(
        `${durationMetric}_bucket`,
        [matchAny('operation', operations), matchBucket(threshold), ...extraMatchers],
        window,
        by,
      ),
    )
    .map((sum) => `  ${sum}`)
    .join('\nor\n');
  const all = groups.flatMap((group) => group.operations);
  const total = sumRate(
    `${durationMetric}_count`,
    [matchAny('operation', all), ...extraMatchers],
    window,
    by,
  );
  return `1 - (\n${within}\n)\n/\n${total}`;
}
