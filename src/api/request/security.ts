import type { Request } from 'express';
import type { OpenAPIV3 } from 'openapi-types';
import { createContext, setPrincipal, type SecurityHandlers } from './handler-context';
import { HttpProblem } from '../response/http-problem';
import type { PipelineStep } from './pipeline';
import type { RoutedOperation } from '../types';

type Schemes = Record<string, OpenAPIV3.SecuritySchemeObject>;

/**
 * Builds the security step of an operation: requirements are OR-ed, the schemes inside one
 * requirement AND-ed. Missing credentials answer 401 with `WWW-Authenticate`; credentials a
 * handler rejects answer 401, or 403 when the scheme required scopes (insufficient scope).
 * A handler may also throw an `HttpProblem` of its own, or return a principal instead of `true`:
 * the first principal of the requirement that let the request in is the handler's `ctx.auth`.
 * With `mockMissing` (`missingHandler:
 * 'mock'`), a scheme without a handler accepts any credential of the kind it asks for.
 * @returns `undefined` for operations open to everyone
 * @example
 * buildSecurityStep(operation, document.components.securitySchemes, { bearerAuth }, false)
 */
export function buildSecurityStep(
  operation: RoutedOperation,
  schemes: Schemes,
  handlers: SecurityHandlers,
  mockMissing = false,
): PipelineStep | undefined {
  const requirements = operation.security;
  if (requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0))
    return undefined;
  const challenge = requirements
    .flatMap((requirement) => Object.keys(requirement))
    .filter((name, i, all) => all.indexOf(name) === i)
    .map((name) => toChallenge(schemes[name] as OpenAPIV3.SecuritySchemeObject))
    .join(', ');
  // Credentials are looked for before any handler runs: a mock only has to say yes.
  const deciders = mockMissing ? { ...mockHandlers(schemes), ...handlers } : handlers;
  return async function checkSecurity({ req, res }) {
    const ctx = createContext(operation.operationId, req, res);
    let outcome: 'missing' | 'rejected' | 'forbidden' = 'missing';
    for (const requirement of requirements) {
      const verdict = await decideRequirement(requirement, schemes, deciders, ctx, req);
      if (typeof verdict === 'object') {
        if (verdict.principal !== undefined) setPrincipal(req, verdict.principal);
        return;
      }
      if (verdict === 'forbidden' || (verdict === 'rejected' && outcome === 'missing'))
        outcome = verdict;
    }
    throw toProblem(outcome, challenge, requirements);
  };
}

/** A requirement met (with the first principal its schemes returned), or why not. */
type Verdict = { principal: unknown } | 'missing' | 'rejected' | 'forbidden';

async function decideRequirement(
  requirement: OpenAPIV3.SecurityRequirementObject,
  schemes: Schemes,
  handlers: SecurityHandlers,
  ctx: ReturnType<typeof createContext>,
  req: Request,
): Promise<Verdict> {
  let principal: unknown;
  for (const [name, scopes] of Object.entries(requirement)) {
    if (!hasCredentials(schemes[name] as OpenAPIV3.SecuritySchemeObject, req)) return 'missing';
    const handler = handlers[name];
    const decided: unknown = handler ? await handler(ctx, scopes) : false;
    if (!decided) return scopes.length ? 'forbidden' : 'rejected';
    if (decided !== true) principal ??= decided;
  }
  return { principal };
}

function mockHandlers(schemes: Schemes): SecurityHandlers {
  const accept = (): boolean => true;
  return Object.fromEntries(Object.keys(schemes).map((name) => [name, accept]));
}

function hasCredentials(scheme: OpenAPIV3.SecuritySchemeObject, req: Request): boolean {
  const authorization = req.headers.authorization ?? '';
  switch (scheme.type) {
    case 'apiKey':
      if (scheme.in === 'header') return req.headers[scheme.name.toLowerCase()] !== undefined;
      if (scheme.in === 'query')
        return (req.query as Record<string, unknown>)[scheme.name] !== undefined;
      return hasCookie(
        (req as Request & { cookies?: Record<string, string> }).cookies,
        scheme.name,
      );
    case 'http':
      return authorization.toLowerCase().startsWith(`${scheme.scheme.toLowerCase()} `);
    case 'oauth2':
    case 'openIdConnect':
      return authorization.toLowerCase().startsWith('bearer ');
    default:
      // mutualTLS: the TLS layer decided; the handler looks at the peer certificate.
      return true;
  }
}

// Own names only: cookie-parser's plain object would find `constructor` on its prototype.
function hasCookie(cookies: Record<string, string> | undefined, name: string): boolean {
  return !!cookies && Object.hasOwn(cookies, name) && cookies[name] !== undefined;
}

function toChallenge(scheme: OpenAPIV3.SecuritySchemeObject): string {
  switch (scheme.type) {
    case 'http': {
      const name = scheme.scheme.charAt(0).toUpperCase() + scheme.scheme.slice(1).toLowerCase();
      return `${name} realm="api"`;
    }
    case 'apiKey':
      return `ApiKey realm="api", in="${scheme.in}", name="${scheme.name}"`;
    default:
      return 'Bearer realm="api"';
  }
}

function toProblem(
  outcome: 'missing' | 'rejected' | 'forbidden',
  challenge: string,
  requirements: OpenAPIV3.SecurityRequirementObject[],
): HttpProblem {
  if (outcome === 'forbidden') {
    const scopes = requirements.map((r) => Object.values(r).flat().join(' ')).filter(Boolean);
    return new HttpProblem({
      status: 403,
      title: 'Forbidden',
      detail: `the credentials do not grant the required scopes (${scopes.join(' or ')})`,
    });
  }
  return new HttpProblem({
    status: 401,
    title: 'Unauthorized',
    detail: outcome === 'missing' ? 'credentials are required' : 'the credentials were rejected',
    headers: { 'WWW-Authenticate': challenge },
  });
}
