import { asRecord } from './as-record';
import { explainBadSource, parseSourceExpression, SOURCE_FORMS } from './parse-source';
import { show, suggest, type Issue } from './problem';
import type { LabelSource, SourceExpression } from './types';

/** A parsed label, or the issues that stop it from parsing (keys relative to the label). */
export interface ParsedLabel {
  source?: LabelSource;
  issues: Issue[];
}

const FORMS = ['value', 'from', 'values', 'other', 'fn'];

/**
 * Parses one label: a source expression, `{ value }`, `{ from, values, other }` or `{ fn }`.
 * @example
 * parseLabel({ from: 'query.tier', values: ['free', 'pro'] }, 'tier').source
 * // { kind: 'bounded', from: { kind: 'query', name: 'tier' }, values: ['free', 'pro'], other: 'other' }
 */
export function parseLabel(raw: unknown, label: string): ParsedLabel {
  if (typeof raw === 'string') return parseExpression(raw, label, []);
  const form = asRecord(raw);
  if (!form) {
    const fixed = typeof raw === 'number' || typeof raw === 'boolean';
    return fail(
      [],
      `label "${label}" must be a source expression or an object, got ${show(raw)}`,
      fixed
        ? `for a fixed value write ${label}: { value: ${show(raw)} }`
        : `use one of ${SOURCE_FORMS}, { value }, { from, values } or { fn }`,
    );
  }
  const unknown = Object.keys(form).find((key) => !FORMS.includes(key));
  if (unknown !== undefined) {
    const close = suggest(unknown, FORMS);
    return fail(
      [unknown],
      `label "${label}" has an unknown key "${unknown}"`,
      close ? `did you mean "${close}"?` : 'write { value }, { from, values, other } or { fn }',
    );
  }
  if ('value' in form) return parseFixed(form, label);
  if ('fn' in form) return parseFunction(form, label);
  if ('from' in form || 'values' in form) return parseBounded(form, label);
  return fail(
    [],
    `label "${label}" must be { value }, { from, values, other } or { fn }, got an empty object`,
    `e.g. ${label}: { value: "main" }`,
  );
}

function parseFixed(form: Record<string, unknown>, label: string): ParsedLabel {
  const extra = Object.keys(form).find((key) => key !== 'value');
  if (extra)
    return fail(
      [extra],
      `label "${label}" mixes "value" with "${extra}"`,
      'a fixed label has only "value"',
    );
  const value = form.value;
  if (!['string', 'number', 'boolean'].includes(typeof value)) {
    return fail(
      ['value'],
      `label "${label}": "value" must be a string, number or boolean, got ${show(value)}`,
      `e.g. ${label}: { value: "main" }`,
    );
  }
  return { source: { kind: 'fixed', value: String(value) }, issues: [] };
}

function parseFunction(form: Record<string, unknown>, label: string): ParsedLabel {
  const extra = Object.keys(form).find((key) => key !== 'fn');
  if (extra)
    return fail(
      [extra],
      `label "${label}" mixes "fn" with "${extra}"`,
      'a function label has only "fn"',
    );
  if (typeof form.fn !== 'string' || form.fn === '') {
    const text = `label "${label}": "fn" must name a label function, got ${show(form.fn)}`;
    return fail(
      ['fn'],
      text,
      `e.g. ${label}: { fn: ${label}Of }, with labelFunctions: { ${label}Of } in createApi`,
    );
  }
  return { source: { kind: 'function', fn: form.fn }, issues: [] };
}

function parseBounded(form: Record<string, unknown>, label: string): ParsedLabel {
  const issues: Issue[] = [];
  const values = form.values;
  const valid = Array.isArray(values) && values.length > 0 && values.every(isScalar);
  if (!valid) {
    issues.push({
      key: ['values'],
      text: `label "${label}": "values" must be a non-empty list of strings, got ${show(values)}`,
      hint: `list the values to keep, e.g. values: [free, pro]; others become "${typeof form.other === 'string' ? form.other : 'other'}"`,
    });
  }
  if (form.other !== undefined && typeof form.other !== 'string') {
    issues.push({
      key: ['other'],
      text: `label "${label}": "other" must be a string, got ${show(form.other)}`,
      hint: 'e.g. other: other',
    });
  }
  if (typeof form.from !== 'string') {
    issues.push({
      key: ['from'],
      text: `label "${label}": "from" must be a source expression, got ${show(form.from)}`,
      hint: `use one of ${SOURCE_FORMS}`,
    });
    return { issues };
  }
  const parsed = parseExpression(form.from, label, ['from']);
  const from = parsed.source;
  if (!from || issues.length) return { issues: [...issues, ...parsed.issues] };
  const kept = (values as unknown[]).map(String);
  return {
    source: {
      kind: 'bounded',
      from,
      values: kept,
      other: typeof form.other === 'string' ? form.other : 'other',
    },
    issues,
  };
}

function parseExpression(
  text: string,
  label: string,
  key: string[],
): { source?: SourceExpression; issues: Issue[] } {
  const source = parseSourceExpression(text);
  if (source) return { source, issues: [] };
  const { error, hint } = explainBadSource(text, label);
  return { issues: [{ key, text: `label "${label}": ${error}`, hint }] };
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function fail(key: string[], text: string, hint?: string): ParsedLabel {
  return { issues: [{ key, text, ...(hint ? { hint } : {}) }] };
}
