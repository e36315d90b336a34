import { HttpProblem } from './http-problem';

/** What a client asked a mock for with `Prefer` (RFC 7240), as Prism reads it. */
export interface MockPreference {
  /** `Prefer: code=404`: answer this status. */
  code?: number;
  /** `Prefer: example=cat`: answer this named example of the chosen response. */
  example?: string;
}

/**
 * Reads `code=` and `example=` from the `Prefer` header(s); other preferences are ignored.
 * @example
 * readPreference('code=404, example="not found"') // { code: 404, example: 'not found' }
 */
export function readPreference(header: string | string[] | undefined): MockPreference {
  const preference: MockPreference = {};
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const match of text.matchAll(/(?:^|[,;])\s*(code|example)\s*=\s*("([^"]*)"|[^,;\s]*)/gi)) {
    const [, name, raw = '', quoted] = match;
    const value = quoted ?? raw;
    if (name?.toLowerCase() === 'example') preference.example = value;
    else preference.code = /^\d{3}$/.test(value) ? Number(value) : Number.NaN;
  }
  return preference;
}

/**
 * The key of `responses` a preferred status falls under: the code itself, its `4XX` range, then
 * `default`. Throws a 400 problem naming the declared responses when there is none.
 */
export function preferredResponseKey(
  responses: Record<string, unknown>,
  code: number,
  operationId: string,
): string {
  const wanted = Number.isInteger(code) ? [String(code), `${String(code)[0]}XX`, 'DEFAULT'] : [];
  for (const name of wanted) {
    const key = Object.keys(responses).find((candidate) => candidate.toUpperCase() === name);
    if (key !== undefined) return key;
  }
  const declared = Object.keys(responses);
  throw new HttpProblem({
    status: 400,
    title: 'Bad Request',
    detail: `Prefer asks for status ${Number.isNaN(code) ? 'that is not a 3-digit code' : code}, but operation ${operationId} declares ${declared.length ? `only ${declared.join(', ')}` : 'no responses'}`,
  });
}

/** The 400 problem for a named example the chosen response does not have. */
export function unknownExample(
  example: string,
  status: number,
  known: readonly string[],
  operationId: string,
): HttpProblem {
  return new HttpProblem({
    status: 400,
    title: 'Bad Request',
    detail: `Prefer asks for the example "${example}", but the ${status} response of operation ${operationId} has ${known.length ? `only the examples ${known.map((name) => `"${name}"`).join(', ')}` : 'no named examples'}`,
  });
}
