import type { OpenAPIV3 } from 'openapi-types';
import { assignOperationIds } from './derive-operation-id';
import { toExpressPath } from './express-path';
import { followLocalRef, toPointer } from './json-pointer';
import { HTTP_METHODS, type Operation } from './operation';

/**
 * Lists every operation of a dereferenced document, in document order. Operations without an
 * operationId get a derived one, written into the document too, so that everything reading the
 * document later (x-metrics, validation) sees the same id.
 * @example
 * listOperations(document).map((op) => op.operationId) // ['listPets', 'createPet', ...]
 */
export function listOperations(document: OpenAPIV3.Document): Operation[] {
  const operations = readOperations(document);
  for (const op of operations) if (op.derivedOperationId) writeOperationId(document, op);
  return operations;
}

/**
 * The operations `listOperations` lists, derived operationIds included, without writing them into
 * the document; raw documents work too (local `$ref`s of path items, operations and parameters
 * are followed, what is not an object is skipped).
 * @example
 * readOperations({ paths: { '/pets': { post: {} } } })[0].operationId // 'postPets'
 */
export function readOperations(document: unknown): Operation[] {
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries(asObject(asObject(document)?.paths) ?? {})) {
    const item = asObject(followLocalRef(document, rawItem));
    if (!item) continue;
    for (const method of HTTP_METHODS) {
      const operation = asObject(followLocalRef(document, item[method]));
      if (!operation) continue;
      const parameters = mergeParameters(document, item.parameters, operation.parameters);
      const { operationId } = operation;
      operations.push({
        operationId: typeof operationId === 'string' ? operationId : undefined,
        method,
        path,
        expressPath: toExpressPath(path),
        pointer: toPointer(['paths', path, method]),
        operation: { ...(operation as OpenAPIV3.OperationObject), parameters },
        parameters,
      });
    }
  }
  return assignOperationIds(operations);
}

/**
 * The path item at `path`, its local `$ref` followed; `undefined` when there is none.
 * @example
 * readPathItem(document, '/pets')?.['x-metrics']
 */
export function readPathItem(document: unknown, path: string): Record<string, unknown> | undefined {
  const paths = asObject(asObject(document)?.paths);
  return paths && asObject(followLocalRef(document, paths[path]));
}

// Copies of the path item and the operation: a path item `$ref`ed from several paths is one
// shared object after dereferencing, and each path derives its own id.
function writeOperationId(document: OpenAPIV3.Document, op: Operation): void {
  const paths = document.paths as OpenAPIV3.PathsObject;
  const item = readPathItem(document, op.path) as OpenAPIV3.PathItemObject;
  const operation = followLocalRef(document, item[op.method]) as OpenAPIV3.OperationObject;
  paths[op.path] = { ...item, [op.method]: { ...operation, operationId: op.operationId } };
}

type Parameter = OpenAPIV3.ParameterObject;

// The operation's parameters win over the path item's on `in` + `name`.
function mergeParameters(
  document: unknown,
  pathLevel: unknown,
  operationLevel: unknown,
): Parameter[] {
  const merged = new Map<string, Parameter>();
  for (const list of [pathLevel, operationLevel]) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      const parameter = asObject(followLocalRef(document, entry));
      if (!parameter) continue;
      merged.set(
        `${String(parameter.in)}:${String(parameter.name)}`,
        parameter as unknown as Parameter,
      );
    }
  }
  return [...merged.values()];
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
