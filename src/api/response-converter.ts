import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { chooseMediaType, findResponse, isJsonType, type BodyKind } from './content-negotiation';
import { HttpProblem } from './http-problem';
import { isReply, reply, type Reply, type ReplyHeaders } from './reply';

/** What {@link sendResult} needs to turn a handler's result into a response. */
export interface ConvertContext {
  req: Request;
  res: Response;
  /** The operation the handler serves, fully dereferenced (no `$ref`). */
  operation: OpenAPIV3.OperationObject | OpenAPIV3_1.OperationObject;
  /** Sees the raw result first, e.g. to turn class instances into plain objects. */
  responseConverter?: (result: unknown, req: Request) => unknown;
}

type Responses = Record<string, unknown> | undefined;

/** A body ready to write: bytes, or a source to stream with its first chunk already read. */
type PreparedBody =
  { bytes: Buffer } | { first: IteratorResult<unknown>; rest: AsyncIterator<unknown> } | undefined;

/**
 * Writes the response for whatever a handler returned, as DESIGN §4 describes: `reply()`,
 * `noContent()`, JSON, text, bytes, streams, web `Response`, or nothing when the handler wrote
 * to `res` itself. Throws an `HttpProblem` (406, 500) before anything is written.
 * @example
 * app.get('/pets', async (req, res, next) => sendResult(await listPets(), { req, res, operation }).catch(next));
 */
export async function sendResult(result: unknown, ctx: ConvertContext): Promise<void> {
  const { req, res } = ctx;
  if (res.headersSent || res.writableEnded) return;
  const value = ctx.responseConverter ? await ctx.responseConverter(result, req) : result;
  if (res.headersSent || res.writableEnded) return;
  if (isWebResponse(value)) return sendWebResponse(value, res);
  await sendReply(isReply(value) ? value : reply(value), ctx);
}

async function sendReply(replied: Reply, { req, res, operation }: ConvertContext): Promise<void> {
  const responses = operation.responses as Responses;
  const hasBody = replied.body !== undefined;
  const status =
    replied.status ??
    (res.statusCode !== 200 ? res.statusCode : undefined) ?? // the handler called res.status()
    (hasBody ? findDefaultStatus(responses) : findEmptyStatus(responses));
  const explicitType = replied.contentType ?? readHeader(replied.headers, 'content-type');
  const presetType = explicitType ?? (res.getHeader('content-type') as string | undefined);
  let contentType = presetType;
  let body: PreparedBody;
  if (hasBody) {
    const kind = classifyBody(replied.body);
    contentType ??= chooseMediaType(
      Object.keys(findResponse(responses, status)?.content ?? {}),
      req.get('accept'),
      kind === 'stream' ? 'binary' : kind,
      status,
    );
    body = await prepareBody(replied.body, kind, contentType, presetType !== undefined, req);
    // Strings we encoded are UTF-8; a type the handler chose is sent exactly as given.
    if (kind !== 'stream' && kind !== 'binary' && !presetType)
      contentType = withCharset(contentType);
  }
  for (const [name, headerValue] of Object.entries(replied.headers)) {
    res.setHeader(name, typeof headerValue === 'number' ? String(headerValue) : headerValue);
  }
  res.status(status);
  if (body && contentType) res.setHeader('Content-Type', contentType);
  if (!body) res.end();
  else if ('bytes' in body)
    res.send(body.bytes); // res.send adds ETag and answers 304 when fresh
  else await streamBody(body.first, body.rest, req, res);
}

/** The operation's only declared 2xx (e.g. 201 for a create), else 200. */
function findDefaultStatus(responses: Responses): number {
  const codes = Object.keys(responses ?? {})
    .filter((key) => /^2\d\d$/.test(key))
    .map(Number);
  if (codes.length === 1) return codes[0] ?? 200;
  if (codes.includes(200) || codes.length === 0) return 200;
  const withContent = codes.filter((code) => findResponse(responses, code)?.content);
  return withContent.length === 1 ? (withContent[0] ?? 200) : 200;
}

function findEmptyStatus(responses: Responses): number {
  return responses?.['204'] ? 204 : findDefaultStatus(responses);
}

function classifyBody(body: unknown): BodyKind | 'stream' {
  if (typeof body === 'string') return 'text';
  if (typeof body === 'number' || typeof body === 'boolean' || typeof body === 'bigint') {
    return 'scalar';
  }
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return 'binary';
  if (isAsyncIterable(body) || isLegacyStream(body)) return 'stream';
  return 'json';
}

/** Duck-typed too: a `Response` from another realm or an undici copy fails `instanceof`. */
function isWebResponse(value: unknown): value is globalThis.Response {
  if (value instanceof globalThis.Response) return true;
  const candidate = value as Partial<globalThis.Response> | null;
  return (
    typeof candidate?.status === 'number' &&
    typeof candidate.arrayBuffer === 'function' &&
    typeof candidate.headers?.getSetCookie === 'function'
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Streams older than async iteration: anything with `pipe` and `on`. */
function isLegacyStream(value: unknown): value is NodeJS.ReadableStream {
  const candidate = value as { pipe?: unknown; on?: unknown } | null;
  return typeof candidate?.pipe === 'function' && typeof candidate.on === 'function';
}

async function prepareBody(
  body: unknown,
  kind: BodyKind | 'stream',
  contentType: string,
  chosenByHandler: boolean,
  req: Request,
): Promise<PreparedBody> {
  if (kind === 'stream') {
    const source = isAsyncIterable(body)
      ? body
      : new Readable().wrap(body as NodeJS.ReadableStream);
    const rest = source[Symbol.asyncIterator]();
    // Reading the first chunk before any header lets an early failure become a 500 problem.
    return { first: await rest.next(), rest };
  }
  if (body instanceof ArrayBuffer) return { bytes: Buffer.from(body) };
  if (body instanceof Uint8Array) {
    return { bytes: Buffer.from(body.buffer, body.byteOffset, body.byteLength) };
  }
  // A string with a content type the handler chose is already serialised.
  if (typeof body === 'string' && (chosenByHandler || !isJsonType(contentType)))
    return { bytes: Buffer.from(body) };
  if (kind === 'scalar' && !isJsonType(contentType)) return { bytes: Buffer.from(String(body)) };
  return { bytes: Buffer.from(stringifyJson(body, req)) };
}

/** JSON with the app's `json replacer` and `json spaces` settings, like `res.json`. */
function stringifyJson(body: unknown, req: Request): string {
  const replacer = req.app.get('json replacer') as
    ((key: string, value: unknown) => unknown) | undefined;
  const spaces = req.app.get('json spaces') as string | number | undefined;
  let json: string | undefined;
  try {
    json = typeof body === 'bigint' ? body.toString() : JSON.stringify(body, replacer, spaces);
  } catch (error) {
    throw new HttpProblem({
      status: 500,
      detail: `The handler's result cannot be serialised as JSON: ${(error as Error).message}`,
    });
  }
  if (json === undefined) {
    throw new HttpProblem({ status: 500, detail: `The handler returned a ${typeof body}` });
  }
  return json;
}

function withCharset(contentType: string): string {
  return /;\s*charset=/i.test(contentType) ? contentType : `${contentType}; charset=utf-8`;
}

function readHeader(headers: ReplyHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return String(value);
  }
  return undefined;
}

/**
 * Streams chunks with back-pressure (`pipeline` waits for `drain`). A failure after the first
 * byte cannot become a problem any more: the response is destroyed so the client sees a
 * truncated body, and the promise still resolves.
 */
async function streamBody(
  first: IteratorResult<unknown>,
  rest: AsyncIterator<unknown>,
  req: Request,
  res: Response,
): Promise<void> {
  if (req.method === 'HEAD' || first.done) {
    await rest.return?.();
    res.end();
    return;
  }
  try {
    await pipeline(continueWith(first.value, rest), res);
  } catch {
    res.destroy();
  }
}

async function* continueWith(first: unknown, rest: AsyncIterator<unknown>) {
  let done = false;
  try {
    yield toChunk(first);
    for (let next = await rest.next(); !next.done; next = await rest.next()) {
      yield toChunk(next.value);
    }
    done = true;
  } finally {
    // Stopped early (client gone, write failed): let the source release what it holds.
    if (!done) await rest.return?.().catch(() => undefined);
  }
}

function toChunk(chunk: unknown): string | Uint8Array {
  if (typeof chunk === 'string' || chunk instanceof Uint8Array) return chunk;
  throw new TypeError(`A streamed chunk must be a string or bytes, got ${typeof chunk}`);
}

/** A web `Response` goes out as is: its status, headers (each `Set-Cookie` kept) and body. */
async function sendWebResponse(response: globalThis.Response, res: Response): Promise<void> {
  const rest = response.body
    ? (response.body as unknown as AsyncIterable<unknown>)[Symbol.asyncIterator]()
    : undefined;
  const first = await rest?.next();
  res.status(response.status);
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('Set-Cookie', cookies);
  if (rest && first) await streamBody(first, rest, res.req, res);
  else res.end();
}
