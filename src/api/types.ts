import type { OpenAPIV3 } from 'openapi-types';
import type { Operation } from '../openapi/operation';
import type { Handler } from './request/handler-context';

// Types shared by boot, request, validation and response: a leaf, so no import cycle runs
// through them.

/** An operation as createApi serves it: located under the base path, with its handler. */
export interface RoutedOperation extends Operation {
  operationId: string;
  /** The Express route path including the base path. */
  routePath: string;
  /** The OpenAPI path template including the base path (what validation and metrics see). */
  routeTemplate: string;
  /** The handler, or the stand-in chosen by `missingHandler`. */
  handler: Handler;
  /** The security requirements in force (operation-level, else document-level). */
  security: OpenAPIV3.SecurityRequirementObject[];
}
