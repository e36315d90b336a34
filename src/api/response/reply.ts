/** Response headers a handler may set; arrays become repeated headers (e.g. `Set-Cookie`). */
export type ReplyHeaders = Record<string, string | number | readonly string[]>;

/** Options of {@link reply}: everything about the response except its body. */
export interface ReplyOptions {
  /**
   * The status code.
   * @default the operation's only declared 2xx (e.g. 201), else 200; 204 when there is no body and 204 is declared
   */
  status?: number;
  /** Extra response headers, e.g. `{ Location: '/pets/1' }`. */
  headers?: ReplyHeaders;
  /**
   * The exact `Content-Type` to send; skips content negotiation.
   * @default negotiated from the spec's declared media types and the request's `Accept`
   */
  contentType?: string;
}

// A registered symbol, so replies survive a second copy of the package (CJS and ESM side by side).
const REPLY = Symbol.for('spectrometer.reply');

/**
 * A handler result that states its status, headers or content type. Build it with {@link reply}.
 * `Body` and `Status` are what it was built with, so typed handlers check them against the spec.
 */
export interface Reply<Body = unknown, Status extends number | undefined = number | undefined> {
  readonly [REPLY]: true;
  /** The body; `undefined` means no body. */
  readonly body: Body;
  /** `undefined`: the operation's default status. */
  readonly status: Status;
  readonly headers: ReplyHeaders;
  readonly contentType?: string;
}

/**
 * Wraps a handler's body with its status, headers or content type.
 * @example
 * return reply(pet, { status: 201, headers: { Location: `/pets/${pet.id}` } });
 */
export function reply<Body, const Status extends number | undefined = undefined>(
  body: Body,
  options: ReplyOptions & { status?: Status } = {},
): Reply<Body, NoInfer<Status>> {
  return {
    [REPLY]: true,
    body,
    status: options.status as Status,
    headers: options.headers ?? {},
    contentType: options.contentType,
  };
}

/**
 * An empty response: 204 when the operation declares it, else its default status.
 * @example
 * async function deletePet(ctx) { store.delete(ctx.params.petId); return noContent(); }
 */
export function noContent(): Reply<undefined, undefined> {
  return reply(undefined);
}

/**
 * Tells whether a value was built by {@link reply} or {@link noContent}.
 * @example
 * if (isReply(result)) res.status(result.status ?? 200);
 */
export function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && (value as Reply)[REPLY] === true;
}
