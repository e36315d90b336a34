import type { OpenAPIV3 } from 'openapi-types';

/**
 * The path prefix of the API: an explicit option wins, else the path of `servers[0].url`
 * (server variables replaced by their defaults), without a trailing slash (`''` for the root).
 * @example
 * toBasePath([{ url: 'https://api.example.com/v1/' }]) // '/v1'
 */
export function toBasePath(servers: OpenAPIV3.ServerObject[] | undefined, option?: string): string {
  if (option !== undefined) return normalizeBasePath(option);
  const server = servers?.[0];
  if (!server?.url) return '';
  const url = server.url.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
    return server.variables?.[name]?.default ?? '';
  });
  // Relative server URLs (`./v1`, `../api`, `v1`) are relative to where the document is served,
  // which is the root of the API here; `new URL` also drops the host of absolute ones.
  return normalizeBasePath(new URL(url, 'http://localhost/').pathname);
}

function normalizeBasePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  if (!trimmed) return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
