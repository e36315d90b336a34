import { compileXMetrics, describeMetrics, type MetricDescription } from '../x-metrics';
import { compileSlos, describeDurationBuckets, type DurationBuckets } from '../slo';
import { readCommandLine } from './command-args';
import { formatProblems, loadOrReport } from './lint';

/**
 * `spectrometer metrics <spec> [--json]`: the metrics the spec will export, defaults included,
 * as a table (metric, type, labels, operations) or JSON, with the duration histogram's buckets
 * (x-slo latency thresholds included). Exits 1 when x-metrics or x-slo has problems.
 * @example
 * await metrics(['specs/petstore.yaml', '--json']) // 0
 */
export async function metrics(args: string[]): Promise<number> {
  const line = readCommandLine('metrics', args);
  if (!line) return 2;
  const file = line.spec;
  const loaded = await loadOrReport(file);
  if (!loaded) return 1;
  const { problems, metrics: list } = describeMetrics(loaded.document);
  if (problems.length) {
    console.log(formatProblems(problems));
    console.log(
      `${file}: ${problems.length} problem(s) in x-metrics; run spectrometer lint ${file}`,
    );
    return 1;
  }
  const xMetrics = compileXMetrics(loaded.document);
  const slos = compileSlos(loaded.document, { xMetrics, operations: loaded.operations });
  if (slos.problems.length) {
    console.log(formatProblems(loaded.locate(slos.problems)));
    console.log(
      `${file}: ${slos.problems.length} problem(s) in x-slo; run spectrometer lint ${file}`,
    );
    return 1;
  }
  const buckets = describeDurationBuckets(slos, xMetrics.document.buckets);
  if (line.options.json === true) console.log(JSON.stringify(withBuckets(list, buckets), null, 2));
  else console.log(formatTable(list, loaded.operations.length, buckets));
  return 0;
}

// The duration histogram's entry gains `buckets` and `sloThresholds` (the x-slo ones among them).
function withBuckets(
  list: readonly MetricDescription[],
  buckets: DurationBuckets | undefined,
): MetricDescription[] {
  return list.map((metric) =>
    buckets && metric.name === buckets.metric
      ? { ...metric, buckets: buckets.buckets, sloThresholds: buckets.thresholds }
      : metric,
  );
}

/**
 * Renders the metric list as an aligned text table.
 * @example
 * formatTable(list, 4) // 'metric  type  labels  operations\n…'
 */
export function formatTable(
  list: readonly MetricDescription[],
  operationCount: number,
  buckets?: DurationBuckets,
): string {
  const rows = list.map((metric) => [
    metric.name,
    metric.type,
    metric.labels.join(', ') || '-',
    describeOperations(metric, operationCount),
  ]);
  const header = ['metric', 'type', 'labels', 'operations'];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const render = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const note = '(plus prom-client process metrics: process_*, nodejs_*)';
  const bucketLine = buckets
    ? [
        `${buckets.metric} buckets: ${buckets.buckets
          .map((b) => (buckets.thresholds.includes(b) ? `${b} (x-slo threshold)` : String(b)))
          .join(', ')}`,
      ]
    : [];
  return [
    render(header),
    render(widths.map((w) => '-'.repeat(w))),
    ...rows.map(render),
    note,
    ...bucketLine,
  ].join('\n');
}

function describeOperations(metric: MetricDescription, operationCount: number): string {
  if (metric.origin === 'default' && !metric.operations.length) return '(exporter)';
  if (metric.operations.length === operationCount && operationCount > 1)
    return `all ${operationCount}`;
  return metric.operations.join(', ') || '-';
}
