import type { OpenAPIV3 } from 'openapi-types';

/** The HTTP methods an OpenAPI path item can hold, in the order `Allow` lists them. */
export const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;

/** A lower-case HTTP method of a path item. */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One operation of the document, located and ready to route. */
export interface Operation {
  /** The operation's `operationId`, derived from method and path when the document lacks one. */
  operationId: string | undefined;
  /** True when `operationId` was derived (see `deriveOperationId`), not written in the document. */
  derivedOperationId?: boolean;
  method: HttpMethod;
  /** The OpenAPI path template, e.g. `/pets/{petId}` (without the base path). */
  path: string;
  /** The Express route path, e.g. `/pets/:petId` (without the base path). */
  expressPath: string;
  /** JSON pointer of the operation, e.g. `#/paths/~1pets/get`. */
  pointer: string;
  /** The dereferenced operation object, with path-level parameters merged in. */
  operation: OpenAPIV3.OperationObject;
  /** Path-level and operation-level parameters; the operation's win on `name` + `in`. */
  parameters: OpenAPIV3.ParameterObject[];
}
