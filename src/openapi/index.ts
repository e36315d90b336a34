// The spec layer's surface, used by createApi, x-metrics and the CLI.
export { loadSpec } from './load-spec';
export type { LoadedSpec } from './load-spec';
export type { Operation, HttpMethod } from './operation';
export { HTTP_METHODS } from './operation';
export { toExpressPath, toPathRegExp } from './express-path';
export { toBasePath } from './base-path';
export { toPointer, escapePointerToken } from './json-pointer';
