import type { Request } from 'express';

/**
 * Parses the `Cookie` header into `req.cookies` (unless cookie-parser already did), so cookie
 * parameters can be validated and handlers get `ctx.cookies`.
 * @example
 * parseCookies(req); req.cookies.session
 */
export function parseCookies(req: Request): void {
  const holder = req as Request & { cookies?: Record<string, string> };
  if (holder.cookies) return;
  const cookies: Record<string, string> = {};
  const header = req.headers.cookie;
  if (header) {
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      if (!name || name in cookies) continue;
      cookies[name] = decodeCookieValue(pair.slice(eq + 1).trim());
    }
  }
  holder.cookies = cookies;
}

function decodeCookieValue(raw: string): string {
  const value = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
