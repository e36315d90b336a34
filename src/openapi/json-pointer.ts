/** Escapes one JSON pointer token (`/` → `~1`, `~` → `~0`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Reads one escaped JSON pointer token back (`~1` → `/`, `~0` → `~`). */
export function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Builds a `#/a/b` pointer from raw tokens (array indexes may be numbers).
 * @example
 * toPointer(['paths', '/pets', 'get']) // '#/paths/~1pets/get'
 */
export function toPointer(tokens: readonly (string | number)[]): string {
  return `#${tokens.map((token) => `/${escapePointerToken(String(token))}`).join('')}`;
}

/** Splits a fragment such as `/components/schemas/Pet` into unescaped tokens. */
export function parsePointer(fragment: string): string[] {
  if (fragment === '' || fragment === '/') return fragment === '/' ? [''] : [];
  return fragment
    .replace(/^\//, '')
    .split('/')
    .map((token) => unescapePointerToken(decodeURIComponent(token)));
}

/** Looks a pointer up in a document; `undefined` when any step is missing. */
export function resolvePointer(document: unknown, tokens: readonly string[]): unknown {
  let node = document;
  for (const token of tokens) {
    if (node === null || typeof node !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

// A longer chain of `$ref`s is a loop.
const MAX_REF_HOPS = 20;

/**
 * The target of a node's local `$ref` (`#/components/...`), following chains of them; any other
 * node is returned as is; `undefined` when a local ref does not resolve or loops.
 * @example
 * followLocalRef(document, { $ref: '#/components/parameters/id' }) // { name: 'id', in: 'path', ... }
 */
export function followLocalRef(document: unknown, node: unknown): unknown {
  let target = node;
  for (let hops = 0; hops <= MAX_REF_HOPS; hops++) {
    const ref = (target as { $ref?: unknown } | null | undefined)?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#')) return target;
    target = resolvePointer(document, parsePointer(ref.slice(1)));
  }
  return undefined;
}
