import { HttpProblem } from './http-problem';

/** What a handler's result can be rendered as: it decides which declared media types fit. */
export type BodyKind = 'json' | 'scalar' | 'text' | 'binary';

/** One entry of an `Accept` header. */
export interface AcceptRange {
  type: string;
  subtype: string;
  q: number;
}

/** The part of a declared response the negotiation reads (responses are dereferenced). */
export interface DeclaredResponse {
  content?: Record<string, unknown>;
}

const DEFAULT_TYPES: Record<BodyKind, string> = {
  json: 'application/json',
  scalar: 'application/json',
  text: 'text/plain',
  binary: 'application/octet-stream',
};

const TEXT_LIKE = new Set([
  'application/xml',
  'application/javascript',
  'application/yaml',
  'application/x-yaml',
  'application/x-ndjson',
  'application/x-www-form-urlencoded',
]);

/**
 * Finds the declared response for a status: exact code, then its `2XX` range, then `default`.
 * @example
 * findResponse(operation.responses, 404) // responses['404'] ?? responses['4XX'] ?? responses.default
 */
export function findResponse(
  responses: Record<string, unknown> | undefined,
  status: number,
): DeclaredResponse | undefined {
  if (!responses) return undefined;
  const range = `${Math.floor(status / 100)}XX`;
  for (const key of [String(status), range, range.toLowerCase(), 'default']) {
    const response = responses[key];
    if (typeof response === 'object' && response !== null) return response as DeclaredResponse;
  }
  return undefined;
}

/**
 * Returns a media type without parameters, lower-cased: `Text/Plain; charset=utf-8` → `text/plain`.
 * @example
 * toEssence('application/json; charset=utf-8') // 'application/json'
 */
export function toEssence(mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Tells whether a media type is JSON: `application/json` or any `+json` type.
 * @example
 * isJsonType('application/problem+json') // true
 */
export function isJsonType(mediaType: string): boolean {
  const essence = toEssence(mediaType);
  return essence === 'application/json' || essence.endsWith('+json');
}

/**
 * Parses an `Accept` header; `undefined` means the client accepts anything.
 * @example
 * parseAccept('text/*;q=0.5, application/json') // [{ type: 'text', subtype: '*', q: 0.5 }, …]
 */
export function parseAccept(header: string | undefined): AcceptRange[] | undefined {
  if (!header || !header.trim()) return undefined;
  const ranges: AcceptRange[] = [];
  for (const entry of header.split(',')) {
    const [mediaRange = '', ...params] = entry.split(';');
    const essence = mediaRange.trim().toLowerCase();
    const [type, subtype] = essence === '*' ? ['*', '*'] : essence.split('/');
    if (!type || !subtype) continue;
    ranges.push({ type, subtype, q: readQuality(params) });
  }
  return ranges.length ? ranges : undefined;
}

function readQuality(params: readonly string[]): number {
  for (const param of params) {
    const [name, value] = param.split('=').map((part) => part.trim());
    if (name?.toLowerCase() !== 'q') continue;
    const q = Number(value);
    return Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 1;
  }
  return 1;
}

/** How specifically a range matches a type: 0 = not at all, 5 = exactly. */
function scoreMatch(range: AcceptRange, essence: string): number {
  const [type, subtype = ''] = essence.split('/');
  if (range.type === '*' && range.subtype === '*') return 1;
  if (range.type !== type) return 0;
  if (range.subtype === subtype) return 5;
  if (range.subtype.startsWith('*+')) return subtype.endsWith(range.subtype.slice(1)) ? 4 : 0;
  // `Accept: application/json` also takes `application/vnd.api+json` (structured syntax suffix).
  if (subtype.endsWith(`+${range.subtype}`)) return 3;
  return range.subtype === '*' ? 2 : 0;
}

/**
 * The quality the client gives a media type: the q of its most specific matching range.
 * @example
 * rateMediaType('text/csv', parseAccept('text/html, text/*;q=0.3')) // 0.3
 */
export function rateMediaType(
  mediaType: string,
  ranges: readonly AcceptRange[] | undefined,
): number {
  if (!ranges) return 1;
  const essence = toEssence(mediaType);
  let best = 0;
  let q = 0;
  for (const range of ranges) {
    const score = scoreMatch(range, essence);
    if (score > best || (score === best && score > 0 && range.q > q)) [best, q] = [score, range.q];
  }
  return q;
}

function isTextLike(essence: string): boolean {
  return essence.startsWith('text/') || essence.endsWith('+xml') || TEXT_LIKE.has(essence);
}

/** Lower is preferred; -1 means the kind cannot be rendered as that type. */
function rankFor(kind: BodyKind, mediaType: string): number {
  const json = isJsonType(mediaType);
  const text = isTextLike(toEssence(mediaType));
  if (kind === 'json') return json ? 0 : -1;
  if (kind === 'scalar') return json ? 0 : text ? 1 : -1;
  if (kind === 'text') return text ? 0 : json ? 2 : 1;
  return json ? 2 : text ? 1 : 0;
}

/** A declared range such as `*\/*` or `image/*` becomes the concrete type the client likes best. */
function resolveRange(declared: string, kind: BodyKind, ranges: AcceptRange[] | undefined): string {
  const [type, subtype] = toEssence(declared).split('/');
  if (type !== '*' && subtype !== '*') return declared;
  const within = (essence: string): boolean =>
    (type === '*' || essence.startsWith(`${type}/`)) && rankFor(kind, essence) >= 0;
  const offered = (ranges ?? [])
    .filter((range) => range.type !== '*' && range.subtype !== '*' && range.q > 0)
    .map((range) => `${range.type}/${range.subtype}`);
  const candidates = [DEFAULT_TYPES[kind], ...offered].filter(within);
  let chosen = candidates[0] ?? DEFAULT_TYPES[kind];
  for (const candidate of candidates) {
    if (rateMediaType(candidate, ranges) > rateMediaType(chosen, ranges)) chosen = candidate;
  }
  return chosen;
}

/**
 * Picks the media type to send for a result of `kind` among those a status declares, by the
 * client's `Accept` q-values, then by what suits the result, then by declaration order.
 * Throws a 406 problem when nothing declared is acceptable (error statuses ignore `Accept`
 * rather than hide the error), and a 500 problem when the result fits no declared type.
 * @example
 * chooseMediaType(['application/json', 'text/csv'], 'text/csv', 'text', 200) // 'text/csv'
 */
export function chooseMediaType(
  declared: readonly string[],
  accept: string | undefined,
  kind: BodyKind,
  status: number,
): string {
  if (!declared.length) return DEFAULT_TYPES[kind];
  const ranges = parseAccept(accept);
  const candidates = declared
    .map((mediaType, index) => {
      const type = resolveRange(mediaType, kind, ranges);
      return { type, index, rank: rankFor(kind, type), q: rateMediaType(type, ranges) };
    })
    .filter((candidate) => candidate.rank >= 0);
  if (!candidates.length) throw unrenderable(declared, kind, status);
  const acceptable = candidates.filter((candidate) => candidate.q > 0);
  if (!acceptable.length && status < 400) throw notAcceptable(declared, accept, status);
  const pool = acceptable.length ? acceptable : candidates;
  const [best] = pool.sort((a, b) => b.q - a.q || a.rank - b.rank || a.index - b.index);
  return best ? best.type : DEFAULT_TYPES[kind];
}

function notAcceptable(declared: readonly string[], accept: string | undefined, status: number) {
  return new HttpProblem({
    status: 406,
    detail: `Response ${status} is available as ${declared.join(', ')}; Accept asked for ${accept}`,
  });
}

function unrenderable(declared: readonly string[], kind: BodyKind, status: number) {
  const what = kind === 'json' ? 'a JSON value' : `a ${kind} value`;
  return new HttpProblem({
    status: 500,
    detail: `The handler returned ${what}, but response ${status} declares only ${declared.join(', ')}`,
  });
}
