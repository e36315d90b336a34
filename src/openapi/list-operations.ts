import type { OpenAPIV3 } from 'openapi-types';
import { assignOperationIds } from './derive-operation-id';
import { toExpressPath } from './express-path';
import { toPointer } from './json-pointer';
import { HTTP_METHODS, type Operation } from './operation';

/**
 * Lists every operation of a dereferenced document, in document order. Operations without an
 * operationId get a derived one, written into the document too, so that everything reading the
 * document later (x-metrics, validation) sees the same id.
 * @example
 * listOperations(document).map((op) => op.operationId) // ['listPets', 'createPet', ...]
 */
export function listOperations(document: OpenAPIV3.Document): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!item) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = mergeParameters(item.parameters, operation.parameters);
      operations.push({
        operationId: operation.operationId,
        method,
        path,
        expressPath: toExpressPath(path),
        pointer: toPointer(['paths', path, method]),
        operation: { ...operation, parameters },
        parameters,
      });
    }
  }
  const identified = assignOperationIds(operations);
  for (const op of identified) if (op.derivedOperationId) writeOperationId(document, op);
  return identified;
}

// Copies of the path item and the operation: a path item `$ref`ed from several paths is one
// shared object after dereferencing, and each path derives its own id.
function writeOperationId(document: OpenAPIV3.Document, op: Operation): void {
  const paths = document.paths as OpenAPIV3.PathsObject;
  const item = paths[op.path] as OpenAPIV3.PathItemObject;
  paths[op.path] = { ...item, [op.method]: { ...item[op.method], operationId: op.operationId } };
}

type Parameters = OpenAPIV3.OperationObject['parameters'];

function mergeParameters(
  pathLevel: Parameters,
  operationLevel: Parameters,
): OpenAPIV3.ParameterObject[] {
  const merged = new Map<string, OpenAPIV3.ParameterObject>();
  // The document is dereferenced, so no ReferenceObject is left here.
  for (const parameter of [
    ...(pathLevel ?? []),
    ...(operationLevel ?? []),
  ] as OpenAPIV3.ParameterObject[]) {
    merged.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  return [...merged.values()];
}
