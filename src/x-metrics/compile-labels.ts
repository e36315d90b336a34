import { checkLabelName } from './check-names';
import { asRecord } from './as-record';
import type { XMetricsOperation } from './operation-view';
import { parseLabel } from './parse-label';
import { formatSource } from './parse-source';
import { show, suggest, type Issue } from './problem';
import type {
  CompiledLabel,
  LabelSource,
  SourceExpression,
  XMetricsOptions,
  XMetricType,
} from './types';

/** The value of a `{ fn }` label whose function is not given, in mock mode. */
export const MISSING_LABEL_VALUE = '__missing__';

/** What label checks need to know about where the labels are used. */
export interface LabelScope {
  /** The operations the labels are recorded for (their parameters are checked). */
  operations: readonly XMetricsOperation[];
  /** The metric type (reserved label names); default labels use `counter`. */
  type: XMetricType;
  /** True for a gauge without `value`: labelled when the request starts. */
  inProgress: boolean;
  /** Names `{ fn }` may use; undefined = not checked. */
  labelFunctions?: readonly string[];
  /** What an unknown `{ fn }` name is. @default 'error' */
  missingLabelFunctions?: XMetricsOptions['missingLabelFunctions'];
  /** Whose labels these are, for messages, e.g. `pet_lookups_total`. @default 'every metric' */
  owner?: string;
}

/**
 * Compiles a `labels` (or `defaultLabels`) map; issue keys are relative to the map.
 * @example
 * compileLabels({ store: { value: 'main' } }, scope).labels // [{ name: 'store', source: { kind: 'fixed', value: 'main' } }]
 */
export function compileLabels(
  raw: unknown,
  scope: LabelScope,
): { labels: CompiledLabel[]; issues: Issue[] } {
  const labels: CompiledLabel[] = [];
  const issues: Issue[] = [];
  if (raw === undefined) return { labels, issues };
  const map = asRecord(raw);
  if (!map) {
    issues.push({
      key: [],
      text: `labels must be a map of label name → source, got ${show(raw)}`,
      hint: 'e.g. labels: { status: response.status }',
    });
    return { labels, issues };
  }
  for (const [name, value] of Object.entries(map)) {
    const bad = checkLabelName(name, scope.type);
    if (bad) issues.push({ key: [name], ...bad });
    const parsed = parseLabel(value, name);
    issues.push(...parsed.issues.map((issue) => ({ ...issue, key: [name, ...issue.key] })));
    if (!parsed.source) continue;
    const found = checkSource(parsed.source, name, scope);
    issues.push(...found.map((issue) => ({ ...issue, key: [name, ...issue.key] })));
    const raw = checkBounded(parsed.source, name);
    if (raw) issues.push({ ...raw, key: [name] });
    if (bad && !bad.advice) continue;
    if (!found.length) labels.push({ name, source: parsed.source });
    else if (found.every((issue) => issue.placeholder)) {
      labels.push({ name, source: { kind: 'fixed', value: MISSING_LABEL_VALUE } });
    }
  }
  return { labels, issues };
}

function checkSource(source: LabelSource, label: string, scope: LabelScope): Issue[] {
  if (source.kind === 'fixed') return [];
  if (source.kind === 'function') return checkFunction(source.fn, label, scope);
  const expression = source.kind === 'bounded' ? source.from : source;
  const key = source.kind === 'bounded' ? ['from'] : [];
  const issues: Issue[] = [];
  if (scope.inProgress && isResponseSource(expression)) {
    issues.push({
      key,
      text: `label "${label}" uses ${formatSource(expression)}, but a gauge without "value" counts requests in progress and is labelled before the response exists`,
      hint: 'remove the label, or give the gauge a "value" so it is set when the response ends',
    });
  }
  const missing = findUndeclared(expression, scope.operations);
  if (missing) issues.push({ key, ...missing(label) });
  return issues;
}

function checkFunction(fn: string, label: string, scope: LabelScope): Issue[] {
  const known = scope.labelFunctions;
  if (!known || known.includes(fn)) return [];
  const close = suggest(fn, known);
  const hint = close
    ? `did you mean "${close}"?`
    : known.length
      ? `known label functions: ${known.join(', ')}`
      : 'pass it to createApi as labelFunctions: { ' + fn + ' }';
  if (scope.missingLabelFunctions === 'placeholder') {
    const owner = scope.owner ?? 'every metric';
    return [
      {
        key: ['fn'],
        text: `label function "${fn}" is not given: label "${label}" of ${owner} is "${MISSING_LABEL_VALUE}" in mock mode`,
        hint,
        placeholder: true,
      },
    ];
  }
  return [
    {
      key: ['fn'],
      text: `label "${label}" names the label function "${fn}", which labelFunctions does not have`,
      hint,
    },
  ];
}

// Sources the client chooses freely: one series per value it sends, unless bounded by `values`.
const CLIENT_CONTROLLED = new Set(['path', 'query', 'header', 'cookie', 'requestBody']);

/**
 * Advice for a label taken raw from the request: any client can send new values (each one a new
 * series until the metric's `maxSeries`), so it names the bounded form to use.
 */
function checkBounded(source: LabelSource, label: string): Omit<Issue, 'key'> | undefined {
  if (!CLIENT_CONTROLLED.has(source.kind)) return undefined;
  const from = formatSource(source as SourceExpression);
  return {
    text: `label "${label}" takes ${from} raw from the request: every value a client sends becomes a series of its own (up to maxSeries, then "__overflow__")`,
    hint: `bound it to the values you expect: ${label}: { from: ${from}, values: [a, b], other: other }`,
    advice: true,
    unbounded: true,
  };
}

/** True for sources that only exist once the response does. */
export function isResponseSource(source: SourceExpression): boolean {
  return (
    source.kind === 'responseStatus' ||
    source.kind === 'responseHeader' ||
    source.kind === 'responseBody'
  );
}

function findUndeclared(source: SourceExpression, operations: readonly XMetricsOperation[]) {
  if (source.kind !== 'path' && source.kind !== 'query') return undefined;
  const declared = (op: XMetricsOperation) =>
    source.kind === 'path' ? op.pathParams : op.queryParams;
  const lacking = operations.filter((op) => !declared(op).has(source.name));
  if (!lacking.length) return undefined;
  const names = lacking.map((op) => op.operationId);
  const listed =
    names.length > 3
      ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`
      : names.join(', ');
  const only = lacking.length === 1 ? lacking[0] : undefined;
  const options = only ? [...declared(only)] : [];
  return (label: string) => ({
    text: `label "${label}" uses ${source.kind}.${source.name}, but ${listed} ${lacking.length === 1 ? 'does' : 'do'} not declare the ${source.kind} parameter "${source.name}"`,
    hint: options.length
      ? `declared ${source.kind} parameters: ${options.join(', ')}${suggestName(source.name, options)}`
      : `declare "${source.name}" in the parameters (in: ${source.kind}) or use another source`,
  });
}

function suggestName(name: string, options: string[]): string {
  const close = suggest(name, options);
  return close ? `; did you mean "${close}"?` : '';
}
