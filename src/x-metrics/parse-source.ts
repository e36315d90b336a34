import type { SourceExpression, ValueSource, XMetricType } from './types';

/** The source expressions, as listed in messages. */
export const SOURCE_FORMS =
  'method, operation, route, path.<param>, query.<name>, header.<name>, cookie.<name>, ' +
  'request.body.<a.b.c>, response.status, response.header.<name>, response.body.<a.b.c>';

/** A parse failure: what is wrong and how to fix it. */
export interface ParseFailure {
  error: string;
  hint: string;
}

const BARE: Record<string, SourceExpression> = {
  method: { kind: 'method' },
  operation: { kind: 'operation' },
  route: { kind: 'route' },
  'response.status': { kind: 'responseStatus' },
};

const NAMED = [
  ['response.header.', 'responseHeader'],
  ['path.', 'path'],
  ['query.', 'query'],
  ['header.', 'header'],
  ['cookie.', 'cookie'],
] as const;

// Frequent slips, mapped to what was meant.
const SLIPS: Array<[RegExp, string]> = [
  [/^headers\./, 'header.'],
  [/^params\./, 'path.'],
  [/^cookies\./, 'cookie.'],
  [/^body\./, 'request.body.'],
  [/^status$/, 'response.status'],
  [/^response\.headers\./, 'response.header.'],
  [/^operationId$/, 'operation'],
];

/**
 * Parses a source expression such as `path.petId` or `response.body.items.length`.
 * @example
 * parseSourceExpression('header.X-Tenant') // { kind: 'header', name: 'x-tenant' }
 */
export function parseSourceExpression(text: string): SourceExpression | undefined {
  const bare = BARE[text];
  if (bare) return bare;
  for (const [prefix, kind] of NAMED) {
    if (!text.startsWith(prefix) || text.length === prefix.length) continue;
    const name = text.slice(prefix.length);
    const lower = kind === 'header' || kind === 'responseHeader';
    return { kind, name: lower ? name.toLowerCase() : name };
  }
  for (const [prefix, kind] of [
    ['request.body.', 'requestBody'],
    ['response.body.', 'responseBody'],
  ] as const) {
    if (!text.startsWith(prefix)) continue;
    const path = text.slice(prefix.length).split('.');
    return path.every((step) => step !== '') ? { kind, path } : undefined;
  }
  return undefined;
}

/**
 * Why `text` is not a source expression, with the closest fix.
 * @example
 * explainBadSource('main', 'store') // { error: '"main" is not a source expression', hint: 'for a fixed value write store: { value: "main" } …' }
 */
export function explainBadSource(text: string, label: string): ParseFailure {
  const slip = SLIPS.find(([pattern]) => pattern.test(text));
  const fixed = slip ? text.replace(slip[0], slip[1]) : undefined;
  return {
    error: `${JSON.stringify(text)} is not a source expression`,
    hint: fixed
      ? `did you mean "${fixed}"?`
      : `for a fixed value write ${label}: { value: ${JSON.stringify(text)} }; sources are ${SOURCE_FORMS}`,
  };
}

/**
 * Parses a metric's `value` for its type; absent means the type's default.
 * @example
 * parseValue(undefined, 'counter') // { kind: 'constant', value: 1 }
 */
export function parseValue(
  text: string | undefined,
  type: XMetricType,
): ValueSource | ParseFailure {
  if (text === undefined) return defaultValue(type);
  if (text === 'duration') return { kind: 'duration' };
  if (text === 'request.size') return { kind: 'requestSize' };
  if (text === 'response.size') return { kind: 'responseSize' };
  const source = parseSourceExpression(text);
  const forms = `duration, request.size, response.size or a numeric source (${NUMERIC_FORMS})`;
  if (!source)
    return {
      error: `"value" must be a value expression, got ${JSON.stringify(text)}`,
      hint: `use ${forms}`,
    };
  if (source.kind === 'method' || source.kind === 'operation' || source.kind === 'route') {
    return {
      error: `"value" must be numeric, got ${JSON.stringify(text)}, which is text`,
      hint: `use ${forms}`,
    };
  }
  return source;
}

const NUMERIC_FORMS =
  'path.<param>, query.<name>, header.<name>, cookie.<name>, request.body.<a.b.c>, ' +
  'response.status, response.header.<name>, response.body.<a.b.c>';

function defaultValue(type: XMetricType): ValueSource {
  if (type === 'counter') return { kind: 'constant', value: 1 };
  if (type === 'gauge') return { kind: 'inProgress' };
  return { kind: 'duration' };
}

/**
 * Renders a parsed source back to its expression.
 * @example
 * formatSource({ kind: 'path', name: 'petId' }) // 'path.petId'
 */
export function formatSource(source: SourceExpression | ValueSource): string {
  switch (source.kind) {
    case 'requestBody':
      return `request.body.${source.path.join('.')}`;
    case 'responseBody':
      return `response.body.${source.path.join('.')}`;
    case 'responseHeader':
      return `response.header.${source.name}`;
    case 'responseStatus':
      return 'response.status';
    case 'path':
    case 'query':
    case 'header':
    case 'cookie':
      return `${source.kind}.${source.name}`;
    case 'requestSize':
      return 'request.size';
    case 'responseSize':
      return 'response.size';
    case 'constant':
      return String(source.value);
    case 'inProgress':
      return 'in progress';
    default:
      return source.kind;
  }
}
