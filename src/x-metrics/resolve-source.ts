import type { LabelSource, SourceContext, SourceExpression, ValueSource } from './types';

/**
 * Computes a source for one request: a label's value (string) by default, or with
 * `role: 'value'` a metric's value (number). Same as `resolveLabel` / `resolveValue`.
 * @example
 * resolveSource({ kind: 'path', name: 'petId' }, ctx)       // '42'
 * resolveSource({ kind: 'duration' }, ctx, 'value')         // 0.012
 */
export function resolveSource(source: LabelSource, ctx: SourceContext): string | undefined;
export function resolveSource(
  source: ValueSource,
  ctx: SourceContext,
  role: 'value',
): number | undefined;
export function resolveSource(
  source: LabelSource | ValueSource,
  ctx: SourceContext,
  role: 'label' | 'value' = 'label',
): string | number | undefined {
  return role === 'value'
    ? resolveValue(source as ValueSource, ctx)
    : resolveLabel(source as LabelSource, ctx);
}

/**
 * A label's value for one request; `undefined` = not available (the runtime writes `''`).
 * Bounded labels give `other` for anything outside `values`, including nothing.
 * `{ fn }` calls `ctx.labelFunctions[fn](ctx.handlerContext ?? ctx)`.
 * @example
 * resolveLabel({ kind: 'bounded', from: { kind: 'query', name: 'tier' }, values: ['free'], other: 'other' }, ctx) // 'other'
 */
export function resolveLabel(source: LabelSource, ctx: SourceContext): string | undefined {
  switch (source.kind) {
    case 'fixed':
      return source.value;
    case 'bounded': {
      const value = toLabel(readExpression(source.from, ctx));
      return value !== undefined && source.values.includes(value) ? value : source.other;
    }
    case 'function': {
      const fn = ctx.labelFunctions?.[source.fn] as ((context: unknown) => unknown) | undefined;
      return toLabel(fn?.(ctx.handlerContext ?? ctx));
    }
    default:
      return toLabel(readExpression(source, ctx));
  }
}

/**
 * A metric's value for one request; `undefined` = skip the observation. Numeric sources give
 * numbers as they are and parse numeric strings. An in-progress gauge's value is 1 (added when
 * the request starts, taken away when it ends).
 * @example
 * resolveValue({ kind: 'responseBody', path: ['items', 'length'] }, ctx) // 3
 */
export function resolveValue(source: ValueSource, ctx: SourceContext): number | undefined {
  switch (source.kind) {
    case 'constant':
      return source.value;
    case 'inProgress':
      return 1;
    case 'duration':
      return ctx.durationSeconds;
    case 'requestSize':
      return ctx.requestSize;
    case 'responseSize':
      return ctx.responseSize;
    default:
      return toNumber(readExpression(source, ctx));
  }
}

/**
 * The raw value a source expression points at in the request context.
 * @example
 * readExpression({ kind: 'header', name: 'x-tenant' }, ctx) // 'acme'
 */
export function readExpression(source: SourceExpression, ctx: SourceContext): unknown {
  switch (source.kind) {
    case 'method':
      return ctx.method.toUpperCase();
    case 'operation':
      return ctx.operationId;
    case 'route':
      return ctx.route;
    case 'path':
      return ctx.params[source.name];
    case 'query':
      return ctx.query[source.name];
    case 'header':
      return ctx.headers[source.name];
    case 'cookie':
      return ctx.cookies[source.name];
    case 'requestBody':
      return walk(ctx.requestBody, source.path);
    case 'responseStatus':
      return ctx.status;
    case 'responseHeader':
      return ctx.responseHeaders?.[source.name];
    case 'responseBody':
      return walk(ctx.responseBody, source.path);
  }
}

// Own properties only, plus `length` of arrays and strings (`response.body.items.length`).
function walk(node: unknown, path: readonly string[]): unknown {
  let current = node;
  for (const step of path) {
    if (current === null || current === undefined) return undefined;
    const isLength = step === 'length' && (Array.isArray(current) || typeof current === 'string');
    if (isLength) current = (current as unknown[] | string).length;
    else if (typeof current === 'object' && Object.prototype.hasOwnProperty.call(current, step))
      current = (current as Record<string, unknown>)[step];
    else return undefined;
  }
  return current;
}

function toLabel(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  return undefined;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}
