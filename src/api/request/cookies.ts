import type { Request } from 'express';
import { parse } from 'cookie';
import type { RoutedOperation } from '../types';
import type { PipelineStep } from './pipeline';

/**
 * Builds the cookie step of an operation: parses the cookies, and gives each declared cookie
 * parameter named like an `Object.prototype` member (`constructor`, `__proto__`) an own
 * `undefined` when it was not sent. The validator copies cookies into a plain object, where a
 * missing `constructor` would otherwise read as `Object` and fail a `type: string` check.
 * @example
 * buildCookieStep(operation)({ req, res, operation, state })
 */
export function buildCookieStep(operation: RoutedOperation): PipelineStep {
  const shadowed = operation.parameters
    .filter((parameter) => parameter.in === 'cookie' && parameter.name in {})
    .map((parameter) => parameter.name);
  if (shadowed.length === 0) return ({ req }) => parseCookies(req);
  return function readCookies({ req }) {
    parseCookies(req);
    const cookies = (req as Request & { cookies: Record<string, string | undefined> }).cookies;
    for (const name of shadowed) {
      if (!Object.hasOwn(cookies, name)) Object.defineProperty(cookies, name, OWN_UNDEFINED);
    }
  };
}

const OWN_UNDEFINED: PropertyDescriptor = {
  value: undefined,
  enumerable: true,
  writable: true,
  configurable: true,
};

/**
 * Parses the `Cookie` header into `req.cookies` (unless cookie-parser already did), so cookie
 * parameters can be validated and handlers get `ctx.cookies`. The `cookie` package keeps names
 * on an object without a prototype: `toString`, `constructor` and `__proto__` are cookies like
 * any other and never reach `Object.prototype`.
 * @example
 * parseCookies(req); req.cookies.session
 */
export function parseCookies(req: Request): void {
  const holder = req as Request & { cookies?: Record<string, string> };
  if (holder.cookies) return;
  const header = req.headers.cookie;
  holder.cookies = (
    header ? parse(header, { decode: decodeCookieValue }) : Object.create(null)
  ) as Record<string, string>;
}

// RFC 6265 lets a value be wrapped in double quotes; they are not part of it.
function decodeCookieValue(raw: string): string {
  const value = raw.length > 1 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
