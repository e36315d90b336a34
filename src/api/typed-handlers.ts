import type { Readable } from 'node:stream';
import type { HandlerContext } from './request/handler-context';
import type { Reply } from './response/reply';

/** One operation's types, as `spectrometer types` writes them into `Operations`. */
export interface OperationTypes {
  /** Path parameters, coerced. */
  params: object;
  /** Query parameters, coerced. */
  query: object;
  headers: object;
  cookies: object;
  /** The request body (`undefined` when it may be left out). */
  body: unknown;
  /** Status (or `4XX`, `default`) → response body (`undefined` without content). */
  responses: object;
}

/**
 * The context of a typed handler: `params`, `query` and `body` typed from the spec; declared
 * header parameters typed under the lower-case names Node gives them (other headers as in
 * {@link HandlerContext}); `auth` the principal type given to `createApi<Operations, Principal>()`.
 * Cookies stay strings: they are validated, not coerced.
 */
export type TypedHandlerContext<Op extends OperationTypes, Principal = unknown> = Omit<
  HandlerContext,
  'params' | 'query' | 'body' | 'headers' | 'auth'
> & {
  params: Op['params'];
  query: Op['query'];
  body: Op['body'];
  headers: TypedHeaders<Op['headers']>;
  /** The principal the security handler that let the request in returned, if any. */
  auth: Principal | undefined;
};

// Node lower-cases header names; the spec may not (`X-Request-ID`). Every declared header is
// present (maybe undefined), so it wins over the headers' index signature.
type LowerCaseKeys<T> = {
  [K in keyof T as K extends string ? Lowercase<K> : K]-?: T[K] | OptionalOf<T, K>;
};
type OptionalOf<T, K extends keyof T> = object extends Pick<T, K> ? undefined : never;

// No declared header parameters (an index signature): the plain headers.
type TypedHeaders<Declared> = string extends keyof Declared
  ? HandlerContext['headers']
  : Without<HandlerContext['headers'], keyof LowerCaseKeys<Declared>> & LowerCaseKeys<Declared>;

// Omit that keeps the index signature and the known headers beside it (Omit loses the latter).
type Without<T, Keys> = { [K in keyof T as K extends Keys ? never : K]: T[K] };

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 205 | 206 | 207 | 208 | 226 | '2XX';
type ValueOf<T> = T[keyof T];

// What a plain return is sent as: the body of a declared 2xx, else of `default`.
type PlainBody<R> = [Extract<keyof R, SuccessStatus>] extends [never]
  ? R['default' & keyof R]
  : R[Extract<keyof R, SuccessStatus>];

// reply(body, { status }) for each declared status; a range or `default` takes any status.
type StatedReply<R> = ValueOf<{
  [S in keyof R]: S extends number ? Reply<R[S], S> : Reply<R[S], number>;
}>;

/** Bodies no schema can describe: bytes, streams, a web `Response`; or nothing (the handler wrote to `res`). */
type UncheckedResult =
  Buffer | Uint8Array | Readable | AsyncIterable<unknown> | globalThis.Response | void;

/**
 * What a typed handler may return: a body a declared 2xx allows, `reply(body, { status })` for a
 * declared status (any status for `4XX`-style ranges and `default`), `reply(body)` and
 * `noContent()` as a plain return, or bytes, a stream, a web `Response`.
 */
export type HandlerResult<Op extends OperationTypes> =
  | PlainBody<Op['responses']>
  | StatedReply<Op['responses']>
  | Reply<PlainBody<Op['responses']>, undefined>
  | UncheckedResult;

/**
 * A handler typed from its operation: see {@link TypedHandlerContext} and {@link HandlerResult}.
 * @example
 * const getPet: TypedHandler<Operations['getPet']> = ({ params }) => store.get(params.petId);
 */
export type TypedHandler<Op extends OperationTypes, Principal = unknown> = (
  ctx: TypedHandlerContext<Op, Principal>,
) => HandlerResult<Op> | Promise<HandlerResult<Op>>;

/**
 * Handlers keyed by the operationIds of `Ops` (the `Operations` type `spectrometer types` writes)
 * only: a misspelt key is a compile error; each may be left out (createApi's `missingHandler`
 * decides at boot).
 */
export type TypedHandlers<Ops, Principal = unknown> = {
  [Id in keyof Ops]?: Ops[Id] extends OperationTypes ? TypedHandler<Ops[Id], Principal> : never;
};

/**
 * Security handlers whose principal has a type: `true` or a `Principal` lets the request in (the
 * operation's handler gets it as `ctx.auth`), anything falsy refuses it.
 * @example
 * const security: TypedSecurityHandlers<{ user: string }> = { bearerAuth: () => ({ user: 'ada' }) };
 */
export type TypedSecurityHandlers<Principal> = Record<
  string,
  (
    ctx: HandlerContext,
    scopes: string[],
  ) => TypedSecurityResult<Principal> | Promise<TypedSecurityResult<Principal>>
>;

type TypedSecurityResult<Principal> = boolean | Principal | null | undefined;
