// Response bodies that arrive over time: streams, async iterables and web `Response` bodies.
import type { Request, Response } from 'express';
import { logUnhandledError } from '../../metrics/app-tracking';
import { ensureRequestState } from '../../metrics/request-state';

/** What a source has given before the response head is written. */
export interface StreamStart {
  first: IteratorResult<unknown>;
  /** The read after the first chunk, already under way (absent when the source is done). */
  second?: Promise<IteratorResult<unknown>>;
}

/**
 * Reads the first chunk before any header is written, and waits one turn of the event loop for
 * the next, so that a source failing early (also a Readable whose second read fails at once),
 * or starting with something other than text or bytes, is still answered with a 500 problem.
 * A source it rejects is closed (a generator's `finally` runs, a Readable is destroyed).
 */
export async function readStart(rest: AsyncIterator<unknown>): Promise<StreamStart> {
  const first = await rest.next();
  if (first.done) return { first };
  if (!isChunk(first.value)) {
    await close(rest);
    throw notAChunk(first.value);
  }
  const second = rest.next();
  let failure: { error: unknown } | undefined;
  // Handled here; the stream sees the same rejection again when it awaits `second`.
  second.catch((error: unknown) => (failure = { error }));
  await new Promise((resolve) => setImmediate(resolve));
  if (failure) {
    await close(rest);
    throw failure.error;
  }
  return { first, second };
}

/**
 * Streams chunks with back-pressure (waits for `drain`). A source failing after the head was
 * written cannot become a problem any more: the request counts as an exception (status 500,
 * logged once with its stack), and the connection ends after the bytes already written, so the
 * client sees the head and a truncated body. A client that goes away stops the source.
 */
export async function streamBody(
  start: StreamStart,
  rest: AsyncIterator<unknown>,
  req: Request,
  res: Response,
): Promise<void> {
  if (req.method === 'HEAD' || start.first.done) {
    await close(rest);
    res.end();
    return;
  }
  try {
    for await (const chunk of continueWith(start, rest)) {
      if (res.destroyed) break; // the client went away: `break` closes the source
      if (!res.write(chunk)) await drained(res);
    }
    if (!res.destroyed) res.end();
  } catch (error) {
    failMidStream(error, req, res);
  }
}

async function* continueWith(start: StreamStart, rest: AsyncIterator<unknown>) {
  let done = false;
  try {
    yield toChunk(start.first.value);
    let next = start.second ? await start.second : { done: true, value: undefined };
    for (; !next.done; next = await rest.next()) yield toChunk(next.value);
    done = true;
  } finally {
    // Stopped early (client gone, bad chunk): let the source release what it holds.
    if (!done) await close(rest);
  }
}

function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

// The head is out: record the failure as the exception it is (not as a client abort), then
// close the connection once what was written has gone out, without the body's last chunk.
function failMidStream(error: unknown, req: Request, res: Response): void {
  const state = ensureRequestState(req);
  if (state.exception === undefined) {
    state.exception = error;
    logUnhandledError(req.app, error);
  }
  const socket = res.socket;
  if (socket && !socket.destroyed && !res.destroyed) socket.destroySoon();
  else res.destroy();
}

async function close(rest: AsyncIterator<unknown>): Promise<void> {
  await rest.return?.(undefined)?.catch(() => undefined);
}

function toChunk(chunk: unknown): string | Uint8Array {
  if (isChunk(chunk)) return chunk;
  throw notAChunk(chunk);
}

function isChunk(chunk: unknown): chunk is string | Uint8Array {
  return typeof chunk === 'string' || chunk instanceof Uint8Array;
}

function notAChunk(chunk: unknown): TypeError {
  return new TypeError(`A streamed chunk must be a string or bytes, got ${typeof chunk}`);
}

/**
 * A web `Response` goes out with its status, headers (each `Set-Cookie` kept) and body, except
 * the headers that describe the upstream connection or an encoding `fetch()` already decoded.
 */
export async function sendWebResponse(response: globalThis.Response, res: Response): Promise<void> {
  const rest = response.body
    ? (response.body as unknown as AsyncIterable<unknown>)[Symbol.asyncIterator]()
    : undefined;
  const start = rest && (await readStart(rest));
  res.status(response.status);
  const dropped = headersToDrop(response);
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && !dropped.has(name)) res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('Set-Cookie', cookies);
  if (rest && start) await streamBody(start, rest, res.req, res);
  else res.end();
}

// Hop-by-hop headers belong to the connection they came over, never to ours (RFC 9110 §7.6.1).
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'transfer-encoding',
  'proxy-connection',
  'upgrade',
  'te',
  'trailer',
];

// The content codings fetch() (undici) decodes; any other coding makes it decode nothing.
const DECODED_BY_FETCH = new Set(['gzip', 'x-gzip', 'deflate', 'br']);

function headersToDrop(response: globalThis.Response): Set<string> {
  const dropped = new Set(HOP_BY_HOP);
  // `Connection` names the sender's other hop-by-hop headers.
  for (const name of response.headers.get('connection')?.split(',') ?? []) {
    dropped.add(name.trim().toLowerCase());
  }
  // fetch() keeps the headers of a body it decoded: they no longer describe the bytes we send.
  if (isDecodedByFetch(response)) {
    dropped.add('content-encoding');
    dropped.add('content-length');
  }
  return dropped;
}

/**
 * Only fetched Responses are decoded (`new Response(...)` has type 'default'), and only when
 * they have a body (not for HEAD, 204, 304) and every coding is one undici knows.
 */
function isDecodedByFetch(response: globalThis.Response): boolean {
  const encoding = response.headers.get('content-encoding');
  if (!encoding || response.type === 'default' || response.body === null) return false;
  return encoding.split(',').every((coding) => DECODED_BY_FETCH.has(coding.trim().toLowerCase()));
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
