import type { BootProblem } from '../errors';
import type { Operation } from './operation';

/**
 * The operationId an operation without one gets: the method, then the words of the path in
 * camelCase, each path parameter as `By<Name>` (`GET /pets/{id}` → `getPetsById`, `GET /` →
 * `getRoot`). Characters other than letters and digits split words.
 * @example
 * deriveOperationId('get', '/orgs/{org}/items/{item-id}') // 'getOrgsByOrgItemsByItemId'
 */
export function deriveOperationId(method: string, path: string): string {
  const words = [...path.matchAll(/\{([^}]*)\}|[^{]+/g)].flatMap(([text, parameter]) =>
    parameter === undefined ? toWords(text) : ['By', ...toWords(parameter)],
  );
  return method.toLowerCase() + (words.length ? words.join('') : 'Root');
}

function toWords(text: string): string[] {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1));
}

/**
 * Gives every operation without an operationId a derived one (see {@link deriveOperationId}),
 * made unique with a number (`getPets2`, `getPets3`, ...) against the explicit ids and the ids
 * derived before it. Explicit ids are never changed.
 * @returns the operations, derived ones marked with `derivedOperationId: true`
 * @example
 * assignOperationIds([{ method: 'get', path: '/pets', ... }])[0].operationId // 'getPets'
 */
export function assignOperationIds(operations: Operation[]): Operation[] {
  const taken = new Set(operations.flatMap((op) => (op.operationId ? [op.operationId] : [])));
  return operations.map((op) => {
    if (op.operationId) return op;
    const base = deriveOperationId(op.method, op.path);
    let operationId = base;
    for (let n = 2; taken.has(operationId); n++) operationId = `${base}${n}`;
    taken.add(operationId);
    return {
      ...op,
      operationId,
      derivedOperationId: true,
      operation: { ...op.operation, operationId },
    };
  });
}

/**
 * The one boot warning listing every derived operationId, or undefined when none was derived.
 * @example
 * describeDerivedIds(operations)?.message // '1 operation has no operationId; derived: POST /pets → postPets'
 */
export function describeDerivedIds(operations: readonly Operation[]): BootProblem | undefined {
  const derived = operations.filter((op) => op.derivedOperationId);
  if (derived.length === 0) return undefined;
  const list = derived.map((op) => `${op.method.toUpperCase()} ${op.path} → ${op.operationId}`);
  const count = derived.length === 1 ? '1 operation has' : `${derived.length} operations have`;
  return {
    message: `${count} no operationId; derived: ${list.join(', ')}`,
    hint: 'handlers and metrics use the derived ids; add operationIds to the spec to choose them (strict: true and lint --strict refuse operations without one)',
  };
}
