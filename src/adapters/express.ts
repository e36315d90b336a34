import type { Request } from 'express';
import { checkReliances, type Dependency, type Reliance } from './dependency-check';

// `groupBy: 'endpoint'` names the handler that answered, which Express keeps only on the matched
// route's layer stack (`Route#stack`, undocumented). createApi's operations say their handler
// themselves; this is for routes of any Express app.

const EXPRESS: Dependency = { name: 'express', range: '^4.21 || ^5' };

interface RouteClass {
  new (path: string): { get(handler: () => void): unknown; stack?: unknown };
}

const RELIANCES: readonly Reliance<{ Route: RouteClass }>[] = [
  {
    internal: 'Route#stack (the layers of a route, each with the name of its handler)',
    holds: ({ Route }) => {
      const route = new Route('/probe');
      route.get(function probeHandler() {});
      return nameOfLast(route.stack) === 'probeHandler';
    },
  },
];

let checked = false;

/**
 * The name of the handler of the Express route that matched the request, if a route did.
 * @example
 * routeHandlerName(req) // 'listPets'
 */
export function routeHandlerName(req: Request): string | undefined {
  const stack = (req.route as { stack?: unknown } | undefined)?.stack;
  if (stack === undefined) return undefined;
  if (!checked) {
    checkReliances(EXPRESS, require('express') as { Route: RouteClass }, RELIANCES);
    checked = true;
  }
  return nameOfLast(stack);
}

function nameOfLast(stack: unknown): string | undefined {
  if (!Array.isArray(stack) || stack.length === 0) return undefined;
  const last = stack[stack.length - 1] as { name?: unknown };
  return typeof last?.name === 'string' ? last.name || '<anonymous>' : undefined;
}
