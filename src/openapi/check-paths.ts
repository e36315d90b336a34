import type { BootProblem } from '../errors';
import { toPointer } from './json-pointer';
import type { HttpMethod, Operation } from './operation';

/** What {@link checkPaths} found: what no request could get right, and what is served anyway. */
export interface PathChecks {
  problems: BootProblem[];
  warnings: BootProblem[];
}

/** Options of {@link checkPaths}. */
export interface PathCheckOptions {
  /**
   * Says whether an operation that could never be reached (the same method on an earlier path of
   * the same shape) is only a warning, e.g. because nothing but a mock would answer it.
   */
  mayBeUnreachable?: (operation: Operation) => boolean;
}

/**
 * What OpenAPI forbids in paths. Problems: a path parameter that is not in its path (every
 * request would fail its `required`), and one method on two paths that differ only in their
 * parameter names (`GET /c/{id}` and `GET /c/{name}`: the second could never be reached).
 * Such paths without a method in common are served (each method goes to its own path): a warning.
 * @example
 * checkPaths(listOperations(document)).problems // [{ pointer: '#/paths/~1d/get/parameters', message: 'path parameter "zz" is not in the path /d' }]
 */
export function checkPaths(
  operations: readonly Operation[],
  options: PathCheckOptions = {},
): PathChecks {
  const problems: BootProblem[] = [];
  const warnings: BootProblem[] = [];
  // Per shape (`/c/{}`), its paths in document order and the operation serving each method.
  const shapes = new Map<string, Shape>();
  const unreachable = new Set<string>();
  for (const op of operations) {
    problems.push(...checkPathParameters(op));
    // A URL's path never holds '#' or '?': EC2's `/#Action=RunInstances` is a documentation key.
    if (/[#?]/.test(op.path)) unreachable.add(op.path);
    const shape = op.path.replace(/\{[^}]+\}/g, '{}');
    const seen: Shape = shapes.get(shape) ?? { paths: [], byMethod: new Map(), clash: false };
    shapes.set(shape, seen);
    if (!seen.paths.includes(op.path)) seen.paths.push(op.path);
    const first = takenBy(seen, op);
    if (first) {
      seen.clash = true;
      if (options.mayBeUnreachable?.(op)) warnings.push(unreachableWarning(op, first));
      else problems.push(sameMethodProblem(op, first));
    }
    if (!seen.byMethod.has(op.method)) seen.byMethod.set(op.method, op);
  }
  for (const { paths, clash } of shapes.values()) {
    if (paths.length < 2 || clash) continue;
    const [first, ...others] = paths as [string, ...string[]];
    warnings.push({
      path: others[0],
      pointer: toPointer(['paths', others[0] as string]),
      message: `${others.join(', ')} ${others.length === 1 ? 'is' : 'are'} the same path as ${first} (only the parameter names differ); served, since no method is on more than one of them`,
      hint: `merge their operations into ${first}`,
    });
  }
  const [first, ...others] = unreachable;
  if (first !== undefined) {
    const some = [first, ...others.slice(0, 2)].join(', ');
    warnings.push({
      path: first,
      pointer: toPointer(['paths', first]),
      message: `${unreachable.size} path(s) hold '#' or '?', which no request path can, so their operations are never reached: ${some}${others.length > 2 ? ', ...' : ''}`,
      hint: 'describe query-string variants as query parameters of one path',
    });
  }
  return { problems, warnings };
}

interface Shape {
  paths: string[];
  byMethod: Map<HttpMethod, Operation>;
  clash: boolean;
}

// The operation of an earlier same-shaped path that takes this one's requests: the same method.
// (HEAD is not taken by an earlier GET: the route table answers HEAD by the path that declares it.)
function takenBy(shape: Shape, op: Operation): Operation | undefined {
  const first = shape.byMethod.get(op.method);
  return first !== undefined && first.path !== op.path ? first : undefined;
}

function checkPathParameters(op: Operation): BootProblem[] {
  const names = new Set([...op.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]));
  return op.parameters
    .filter((parameter) => parameter.in === 'path' && !names.has(parameter.name))
    .map((parameter) => ({
      operationId: op.operationId,
      method: op.method,
      path: op.path,
      // The operation's or its path item's list: parameters of both are merged by now.
      pointer: `${op.pointer}/parameters`,
      message: `path parameter "${parameter.name}" is not in the path ${op.path}`,
      hint: `add {${parameter.name}} to the path, or declare it in: query or header`,
    }));
}

const describe = (o: Operation): string =>
  `${o.method.toUpperCase()} ${o.path} (operationId ${o.operationId})`;

function sameMethodProblem(op: Operation, first: Operation): BootProblem {
  return {
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    pointer: op.pointer,
    message: `${describe(op)} could never be reached: ${describe(first)} takes its requests, since the paths differ only in parameter names`,
    hint: 'merge the two operations, or give one of them another method or path',
  };
}

function unreachableWarning(op: Operation, first: Operation): BootProblem {
  return {
    operationId: op.operationId,
    method: op.method,
    path: op.path,
    pointer: op.pointer,
    message: `${describe(op)} is never reached: ${describe(first)} answers its requests, since the paths differ only in parameter names (served, since ${op.operationId} would only be mocked)`,
    hint: 'merge the two operations, or give one of them another method or path',
  };
}
