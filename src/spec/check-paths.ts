import type { BootProblem } from '../errors';
import { toPointer } from './json-pointer';
import type { Operation } from './operation';

/**
 * What OpenAPI forbids in paths and no request could get right: a path parameter that is not in
 * its path (every request would fail its `required`), and two paths that differ only in their
 * parameter names (`/c/{id}` and `/c/{name}`: the second could never be reached).
 * @example
 * checkPaths(listOperations(document)) // [{ pointer: '#/paths/~1d/get/parameters', message: 'path parameter "zz" is not in the path /d' }]
 */
export function checkPaths(operations: readonly Operation[]): BootProblem[] {
  const problems: BootProblem[] = [];
  const firstOfShape = new Map<string, string>();
  for (const op of operations) {
    const names = new Set([...op.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]));
    op.parameters.forEach((parameter) => {
      if (parameter.in !== 'path' || names.has(parameter.name)) return;
      problems.push({
        operationId: op.operationId,
        method: op.method,
        path: op.path,
        // The operation's or its path item's list: parameters of both are merged by now.
        pointer: `${op.pointer}/parameters`,
        message: `path parameter "${parameter.name}" is not in the path ${op.path}`,
        hint: `add {${parameter.name}} to the path, or declare it in: query or header`,
      });
    });
    const shape = op.path.replace(/\{[^}]+\}/g, '{}');
    const first = firstOfShape.get(shape);
    if (first === undefined) firstOfShape.set(shape, op.path);
    else if (first !== op.path && !problems.some((p) => p.path === op.path && !p.method)) {
      problems.push({
        path: op.path,
        pointer: toPointer(['paths', op.path]),
        message: `${op.path} is the same path as ${first}: only the parameter names differ, so it could never be reached`,
        hint: `merge its operations into ${first}`,
      });
    }
  }
  return problems;
}
