// The API's own route table, compiled from the spec at boot: one lookup per request, no walk
// through the app's layers, no reading of Express's router. Paths are matched segment by segment,
// literal segments before templated ones, as OpenAPI asks ("concrete paths first").

/** How paths compare: Express's `case sensitive routing` and `strict routing` settings. */
export interface RouteTableOptions {
  /** `/Pets` and `/pets` differ. @default false */
  caseSensitive?: boolean;
  /** `/pets/` and `/pets` differ. @default false */
  strict?: boolean;
}

/** One route: an upper-case method and an OpenAPI path template (`/v1/pets/{petId}`). */
export interface RouteEntry<T> {
  method: string;
  template: string;
  value: T;
}

/** What the table says of a request. */
export type RouteMatch<T> =
  | { kind: 'found'; value: T; params: Record<string, string> }
  /** The path is known, the method is not: `allow` lists the path's methods (HEAD with GET). */
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' }
  /** A path parameter is not valid percent-encoding. */
  | { kind: 'undecodable'; raw: string };

interface Route<T> {
  value: T;
  /** Parameter names in the order the path captures them. */
  names: string[];
}

interface Node<T> {
  literal: Map<string, Node<T>>;
  /** Segments that mix text and parameters (`{name}.{ext}`), tried after literal ones. */
  mixed: Array<{ pattern: RegExp; node: Node<T> }>;
  /** A whole-segment parameter, tried last. */
  param?: Node<T>;
  /** The routes ending here, by method. */
  routes?: Map<string, Route<T>>;
}

const WHOLE_PARAM = /^\{([^}]+)\}$/;
const ORDER = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'];

/**
 * Compiles routes into a table that finds a request's route in one pass over its path.
 * @example
 * const table = buildRouteTable([{ method: 'GET', template: '/pets/{petId}', value: getPet }]);
 * table.match('GET', '/pets/3') // { kind: 'found', value: getPet, params: { petId: '3' } }
 */
export function buildRouteTable<T>(
  entries: ReadonlyArray<RouteEntry<T>>,
  options: RouteTableOptions = {},
): { match(method: string, path: string): RouteMatch<T> } {
  const root = newNode<T>();
  const fold = (segment: string) => (options.caseSensitive ? segment : segment.toLowerCase());
  for (const { method, template, value } of entries) {
    let node = root;
    const names: string[] = [];
    for (const segment of splitPath(template, options.strict)) {
      const whole = WHOLE_PARAM.exec(segment);
      if (whole) {
        names.push(whole[1] as string);
        node = node.param ??= newNode();
      } else if (segment.includes('{')) {
        const { pattern, names: inSegment } = compileMixed(segment, options.caseSensitive);
        names.push(...inSegment);
        let next = node.mixed.find((m) => m.pattern.source === pattern.source)?.node;
        if (!next) node.mixed.push({ pattern, node: (next = newNode()) });
        node = next;
      } else {
        const key = fold(segment);
        let next = node.literal.get(key);
        if (!next) node.literal.set(key, (next = newNode()));
        node = next;
      }
    }
    node.routes ??= new Map();
    // The first route of a method wins: a later one on a path of the same shape is unreachable.
    if (!node.routes.has(method.toUpperCase()))
      node.routes.set(method.toUpperCase(), { value, names });
  }

  return {
    match(method, path) {
      const segments = splitPath(path, options.strict);
      const captures: string[] = [];
      const allow = new Set<string>();
      let found: Route<T> | undefined;
      // Depth first, literal before mixed before parameter: the first route with the method wins.
      const visit = (node: Node<T>, i: number): boolean => {
        if (i === segments.length) {
          const route = node.routes && routeFor(node.routes, method);
          if (route) {
            found = route;
            return true;
          }
          node.routes?.forEach((_route, known) => allow.add(known));
          if (node.routes?.has('GET')) allow.add('HEAD');
          return false;
        }
        const segment = segments[i] as string;
        const literal = node.literal.get(fold(segment));
        if (literal && visit(literal, i + 1)) return true;
        for (const { pattern, node: next } of node.mixed) {
          const parts = pattern.exec(segment);
          if (!parts) continue;
          const before = captures.length;
          captures.push(...parts.slice(1));
          if (visit(next, i + 1)) return true;
          captures.length = before;
        }
        if (node.param && segment !== '') {
          captures.push(segment);
          if (visit(node.param, i + 1)) return true;
          captures.pop();
        }
        return false;
      };
      if (!visit(root, 0) || !found) {
        if (allow.size === 0) return { kind: 'not-found' };
        return { kind: 'method-not-allowed', allow: ORDER.filter((m) => allow.has(m)) };
      }
      const route: Route<T> = found;
      const params = Object.create(null) as Record<string, string>;
      for (let i = 0; i < route.names.length; i++) {
        const raw = captures[i] as string;
        const value = raw.includes('%') ? decode(raw) : raw;
        if (value === undefined) return { kind: 'undecodable', raw };
        params[route.names[i] as string] = value;
      }
      return { kind: 'found', value: route.value, params };
    },
  };
}

// HEAD is served by the GET route when the path declares no HEAD of its own, as Express does.
function routeFor<T>(routes: Map<string, Route<T>>, method: string): Route<T> | undefined {
  return routes.get(method) ?? (method === 'HEAD' ? routes.get('GET') : undefined);
}

function newNode<T>(): Node<T> {
  return { literal: new Map(), mixed: [] };
}

// Segments after the leading '/'; without strict routing one trailing slash is not a segment.
function splitPath(path: string, strict = false): string[] {
  const trimmed = !strict && path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

// `{name}.{ext}` → /^(.+?)\.(.+)$/: each parameter takes at least one character, the last one
// the rest of the segment.
function compileMixed(
  segment: string,
  caseSensitive = false,
): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  let source = '';
  let last = 0;
  for (const match of segment.matchAll(/\{([^}]+)\}/g)) {
    source += escapeRegExp(segment.slice(last, match.index)) + '(.+?)';
    names.push(match[1] as string);
    last = (match.index ?? 0) + match[0].length;
  }
  const tail = segment.slice(last);
  if (tail === '') source = `${source.slice(0, -'(.+?)'.length)}(.+)`;
  else source += escapeRegExp(tail);
  return { pattern: new RegExp(`^${source}$`, caseSensitive ? '' : 'i'), names };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function decode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}
