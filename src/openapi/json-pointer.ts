/** Escapes one JSON pointer token (`/` → `~1`, `~` → `~0`). */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Builds a `#/a/b` pointer from raw tokens. */
export function toPointer(tokens: readonly string[]): string {
  return `#${tokens.map((token) => `/${escapePointerToken(token)}`).join('')}`;
}

/** Splits a fragment such as `/components/schemas/Pet` into unescaped tokens. */
export function parsePointer(fragment: string): string[] {
  if (fragment === '' || fragment === '/') return fragment === '/' ? [''] : [];
  return fragment
    .replace(/^\//, '')
    .split('/')
    .map((token) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~'));
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
