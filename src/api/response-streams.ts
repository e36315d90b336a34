// Response bodies that arrive over time: streams, async iterables and web `Response` bodies.
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';

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
  if (typeof chunk === 'string' || chunk instanceof Uint8Array) return chunk;
  throw new TypeError(`A streamed chunk must be a string or bytes, got ${typeof chunk}`);
}

/** A web `Response` goes out as is: its status, headers (each `Set-Cookie` kept) and body. */
export async function sendWebResponse(response: globalThis.Response, res: Response): Promise<void> {
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

export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
