import type { Request, Response } from 'express';
import { Readable } from 'node:stream';
import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { startedAsyncSend } from './async-senders';
import { isJsonType, type BodyKind } from './content-negotiation';
import { isReply, type Reply, type ReplyHeaders, type ReplyOptions } from './reply';
import { negotiate, planFor, type ResponsePlan } from './response-plan';
import { isAsyncIterable, readStart, sendWebResponse, streamBody } from './response-streams';

/** What {@link sendResult} needs to turn a handler's result into a response. */
export interface ConvertContext {
  req: Request;
  res: Response;
  /** The operation the handler serves, fully dereferenced (no `$ref`). */
  operation: OpenAPIV3.OperationObject | OpenAPIV3_1.OperationObject;
  /** Sees the raw result first, e.g. to turn class instances into plain objects. */
  responseConverter?: (result: unknown, req: Request) => unknown;
}

/**
 * Writes the response for whatever a handler returned, as DESIGN §4 describes: `reply()`,
 * `noContent()`, JSON, text, bytes, streams, web `Response`, or nothing when the handler wrote
 * to `res` itself. Throws before anything is written: an `HttpProblem` (406, or 500 when the result
 * does not fit the spec) or a `TypeError` for a result that cannot be serialised.
 * Synchronous unless something must be awaited (a converter's promise, a stream, a web
 * `Response`): most results are written without a single promise.
 * @example
 * app.get('/pets', async (req, res, next) => sendResult(await listPets(), { req, res, operation }).catch(next));
 */
export function sendResult(result: unknown, ctx: ConvertContext): void | Promise<void> {
  const { req, res } = ctx;
  // The handler answered itself, or started to (res.sendFile, res.download, res.render).
  if (res.headersSent || res.writableEnded || startedAsyncSend(res)) return undefined;
  if (!ctx.responseConverter) return sendValue(result, ctx);
  const converted = ctx.responseConverter(result, req);
  return isPromiseLike(converted)
    ? Promise.resolve(converted).then((value) => sendValue(value, ctx))
    : sendValue(converted, ctx);
}

function sendValue(value: unknown, ctx: ConvertContext): void | Promise<void> {
  const { res } = ctx;
  if (res.headersSent || res.writableEnded) return undefined;
  if (isWebResponse(value)) return sendWebResponse(value, res);
  // A plain value is a reply with no options: no Reply object is built for it.
  return isReply(value) ? sendReply(value, ctx) : sendReply(value, ctx, NO_OPTIONS);
}

const NO_OPTIONS: ReplyOptions = {};

function sendReply(
  replied: Reply | unknown,
  ctx: ConvertContext,
  options?: ReplyOptions,
): void | Promise<void> {
  const { req, res } = ctx;
  const { status: chosenStatus, headers, contentType: chosenType } = options ?? (replied as Reply);
  const body = options ? replied : (replied as Reply).body;
  const plan = planFor(ctx.operation);
  const hasBody = body !== undefined;
  const status =
    chosenStatus ??
    (res.statusCode !== 200 ? res.statusCode : undefined) ?? // the handler called res.status()
    (hasBody ? plan.defaultStatus : plan.emptyStatus);
  const explicitType = chosenType ?? (headers && readHeader(headers, 'content-type'));
  const presetType = explicitType ?? (res.getHeader('content-type') as string | undefined);
  const head: Head = { status, headers, contentType: undefined };
  if (!hasBody) {
    writeHead(res, head);
    res.end();
    return undefined;
  }
  const kind = classifyBody(body);
  if (kind === 'stream') return sendStream(body, presetType, plan, head, req, res);
  // Everything that can fail (406, 500) happens before the first header is set.
  const contentType = presetType ?? negotiate(plan, status, kind, req.headers.accept);
  const payload = serialise(body, kind, contentType, presetType !== undefined, req);
  // Strings are sent as UTF-8; a type the handler chose is sent exactly as given.
  head.contentType = presetType ?? (kind === 'binary' ? contentType : withCharset(contentType));
  writeHead(res, head);
  sendPayload(req, res, payload);
  return undefined;
}

/** The status and headers of a response, set together once nothing can fail any more. */
interface Head {
  status: number;
  headers: ReplyHeaders | undefined;
  contentType: string | undefined;
}

function writeHead(res: Response, { status, headers, contentType }: Head): void {
  if (headers) setHeaders(res, headers);
  res.status(status);
  if (contentType) res.setHeader('Content-Type', contentType);
}

async function sendStream(
  body: unknown,
  presetType: string | undefined,
  plan: ResponsePlan,
  head: Head,
  req: Request,
  res: Response,
): Promise<void> {
  head.contentType = presetType ?? negotiate(plan, head.status, 'binary', req.headers.accept);
  const source = isAsyncIterable(body) ? body : new Readable().wrap(body as NodeJS.ReadableStream);
  const rest = source[Symbol.asyncIterator]();
  const start = await readStart(rest);
  writeHead(res, head);
  await streamBody(start, rest, req, res);
}

function setHeaders(res: Response, headers: ReplyHeaders): void {
  for (const name in headers) {
    const headerValue = headers[name] as ReplyHeaders[string];
    res.setHeader(name, typeof headerValue === 'number' ? String(headerValue) : headerValue);
  }
}

/**
 * Writes a complete body. `res.send` is what adds an ETag and answers 304 when fresh; when the
 * app generates no ETag and the request is not conditional that work cannot change anything,
 * so the body is written directly (same headers, same HEAD/204/304 handling as `res.send`). A
 * string goes to Node as it is: it writes head and body in one piece, without a Buffer copy.
 */
function sendPayload(req: Request, res: Response, payload: string | Buffer): void {
  const conditional =
    req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;
  const status = res.statusCode;
  if (
    conditional ||
    typeof req.app.get('etag fn') === 'function' ||
    status === 204 ||
    status === 205 ||
    status === 304 ||
    res.getHeader('transfer-encoding') !== undefined
  ) {
    // As bytes: res.send would add a charset to a string's Content-Type.
    res.send(typeof payload === 'string' ? Buffer.from(payload) : payload);
    return;
  }
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  res.setHeader('Content-Length', length);
  if (req.method === 'HEAD') res.end();
  else res.end(payload);
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

/** Streams older than async iteration: anything with `pipe` and `on`. */
function isLegacyStream(value: unknown): value is NodeJS.ReadableStream {
  const candidate = value as { pipe?: unknown; on?: unknown } | null;
  return typeof candidate?.pipe === 'function' && typeof candidate.on === 'function';
}

/** The body as it goes on the wire: bytes as they are, everything else as a (UTF-8) string. */
function serialise(
  body: unknown,
  kind: BodyKind,
  contentType: string,
  chosenByHandler: boolean,
  req: Request,
): string | Buffer {
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // A string with a content type the handler chose is already serialised.
  if (typeof body === 'string' && (chosenByHandler || !isJsonType(contentType))) return body;
  if (kind === 'scalar' && !isJsonType(contentType)) return String(body);
  return stringifyJson(body, req);
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
    // A handler bug like any other: a plain 500 for the client, logged and counted as an exception.
    throw new TypeError(
      `The handler's result cannot be serialised as JSON: ${(error as Error).message}`,
    );
  }
  if (json === undefined) throw new TypeError(`The handler returned a ${typeof body}`);
  return json;
}

function withCharset(contentType: string): string {
  return /;\s*charset=/i.test(contentType) ? contentType : `${contentType}; charset=utf-8`;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

function readHeader(headers: ReplyHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return String(value);
  }
  return undefined;
}
