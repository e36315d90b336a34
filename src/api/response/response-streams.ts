// Response bodies that arrive over time: streams, async iterables and web `Response` bodies.
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';

/**
 * Reads the first chunk before any header is written, so that a source failing early, or
 * starting with something other than text or bytes, can still be answered with a 500 problem.
 * A source it rejects is closed (a generator's `finally` runs, a Readable is destroyed).
 */
export async function readFirstChunk(
  rest: AsyncIterator<unknown>,
): Promise<IteratorResult<unknown>> {
  const first = await rest.next();
  if (first.done || isChunk(first.value)) return first;
  await rest.return?.().catch(() => undefined);
  throw notAChunk(first.value);
}

/**
 * Streams chunks with back-pressure (`pipeline` waits for `drain`). A failure after the first
 * byte cannot become a problem any more: the response is destroyed so the client sees a
 * truncated body, and the promise still resolves.
 */
export async function streamBody(
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
  const first = rest && (await readFirstChunk(rest));
  res.status(response.status);
  const dropped = headersToDrop(response);
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && !dropped.has(name)) res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('Set-Cookie', cookies);
  if (rest && first) await streamBody(first, rest, res.req, res);
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
