import { HttpProblem } from '../response/http-problem';

/**
 * How deeply a request body may nest objects and arrays (`{"a":{"b":1}}` has depth 2). Validating
 * a body against a recursive schema recurses once per level, so a deep enough body would overflow
 * the stack; 128 is what serde_json allows by default, far below where ajv overflows (thousands
 * of levels) and far above what APIs exchange.
 */
export const MAX_BODY_DEPTH = 128;

/**
 * Refuses a parsed body nested deeper than `limit` with a 400 problem that names the limit.
 * Walks the body without recursion, so any depth is safe to measure.
 * @example
 * checkBodyDepth(JSON.parse('[[[]]]'), 2) // throws a 400 HttpProblem
 */
export function checkBodyDepth(body: unknown, limit: number = MAX_BODY_DEPTH): void {
  if (typeof body !== 'object' || body === null) return;
  const stack: Array<{ value: object; depth: number }> = [{ value: body, depth: 1 }];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    if (entry.depth > limit) throw tooDeep(limit);
    for (const key of Object.keys(entry.value)) {
      const child = (entry.value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, depth: entry.depth + 1 });
    }
  }
}

function tooDeep(limit: number): HttpProblem {
  const message = `is nested deeper than ${limit} levels of objects and arrays, the most this API accepts`;
  return new HttpProblem({
    status: 400,
    detail: `the request body ${message}`,
    errors: [{ in: 'body', pointer: '', message, keyword: 'maxDepth' }],
  });
}
