import type { LoadedSpec } from '../openapi/load-spec';
import { toSpecJson } from '../api/docs/spec-json';
import { SpectrometerError } from '../errors';

/** The part of openapi-typescript this uses (its public API). */
interface OpenApiTypescript {
  default: (schema: object, options?: object) => Promise<unknown>;
  astToString: (ast: unknown) => string;
}

/**
 * TypeScript for a loaded spec: openapi-typescript's `paths`, `components` and `operations`
 * (keyed by operationId, derived ids included), then `Operations`, which `createApi<Operations>`
 * reads: per operationId its `params`, `query`, `headers`, `cookies`, `body` and `responses`
 * (status → body).
 * @example
 * writeFileSync('api-types.ts', await generateOperationTypes(await loadSpec('specs/petstore.yaml')));
 */
export async function generateOperationTypes(spec: LoadedSpec): Promise<string> {
  const openapiTS = await loadOpenApiTypescript();
  // openapi-typescript reads the bundled document (one file, local $refs only, Swagger 2.0
  // converted), with the ids createApi serves: derived ones written in.
  const document = JSON.parse(
    toSpecJson(withOperationIds(spec), { componentRefsOnly: true }),
  ) as object;
  const generated = openapiTS.astToString(await openapiTS.default(document, {}));
  const ids = spec.operations.map((op) => op.operationId as string);
  return `${HEADER}${generated}\n${renderOperations(ids)}`;
}

const HEADER = `// Written by \`spectrometer types\` with openapi-typescript: do not edit, generate again.
// \`createApi<Operations>({ spec, handlers })\` checks handler names, parameters and results.
`;

// A real import(): TypeScript's CommonJS output would turn `import()` into require(), and
// openapi-typescript loads ES modules (change-case) that require() cannot on every Node 20.
const importModule = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

async function loadOpenApiTypescript(): Promise<OpenApiTypescript> {
  try {
    return (await importModule('openapi-typescript')) as OpenApiTypescript;
  } catch (error) {
    throw new SpectrometerError(
      'SPM_DEPENDENCY',
      `spectrometer types needs openapi-typescript ^7 (and typescript ^5): npm install --save-dev openapi-typescript typescript (${(error as Error).message.split('\n')[0]})`,
    );
  }
}

// The document with every served operationId written in; shared objects stay shared.
function withOperationIds(spec: LoadedSpec): Pick<LoadedSpec, 'document' | 'refTargets'> {
  for (const op of spec.operations) {
    if (op.derivedOperationId && op.operationId) op.operation.operationId = op.operationId;
  }
  return spec;
}

function renderOperations(ids: readonly string[]): string {
  const entries = ids.map(
    (id) => `  ${JSON.stringify(id)}: OperationTypesOf<operations[${JSON.stringify(id)}]>;`,
  );
  return `${HELPERS}
/** Every operation by operationId, for \`createApi<Operations>()\`. */
export interface Operations {
${entries.join('\n')}
}
`;
}

// Kept in the generated file so it does not depend on spectrometer's own type names.
const HELPERS = `type NoneIfNever<T> = [Exclude<T, undefined>] extends [never] ? Record<string, never> : Exclude<T, undefined>;
type ParameterPart<O, K extends string> = O extends { parameters: infer P } ? (P extends { [Q in K]?: infer V } ? NoneIfNever<V> : Record<string, never>) : Record<string, never>;
type ContentBody<C> = [C] extends [never] ? undefined : C extends { [media: string]: infer B } ? B : undefined;
type RequestBodyOf<O> = O extends { requestBody?: infer B }
  ? [Exclude<B, undefined>] extends [never]
    ? undefined
    : ContentBody<NonNullable<B> extends { content: infer C } ? C : never> | (undefined extends B ? undefined : never)
  : undefined;
type ResponseBodyOf<R> = R extends { content: infer C } ? ContentBody<C> : undefined;
type OperationTypesOf<O> = {
  params: ParameterPart<O, 'path'>;
  query: ParameterPart<O, 'query'>;
  headers: ParameterPart<O, 'header'>;
  cookies: ParameterPart<O, 'cookie'>;
  body: RequestBodyOf<O>;
  responses: O extends { responses: infer R } ? { [S in keyof R]: ResponseBodyOf<R[S]> } : Record<string, never>;
};
`;
