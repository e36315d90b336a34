import type { Request, Response } from 'express';

// Body bytes written so far, per response whose size is measured.
const written = new WeakMap<Response, { bytes: number }>();

type Write = (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
type End = (chunk?: unknown, encoding?: unknown, callback?: unknown) => Response;

/**
 * Starts counting the body bytes `res` sends (`response.size` of x-metrics). Wraps `write` and
 * `end` of this one response, so operations that do not measure sizes pay nothing.
 * @example
 * countResponseBytes(res); … measureResponseSize(res) // 42
 */
export function countResponseBytes(res: Response): void {
  if (written.has(res)) return;
  const counter = { bytes: 0 };
  written.set(res, counter);
  const write = res.write.bind(res) as Write;
  const end = res.end.bind(res) as End;
  (res as { write: Write }).write = function countWrite(chunk, encoding, callback) {
    counter.bytes += byteLength(chunk, encoding);
    return write(chunk, encoding, callback);
  };
  (res as { end: End }).end = function countEnd(chunk, encoding, callback) {
    counter.bytes += byteLength(chunk, encoding);
    return end(chunk, encoding, callback);
  };
}

/**
 * The body bytes `res` sent: counted when `countResponseBytes` ran, else its `Content-Length`.
 * @returns `undefined` when unknown
 */
export function measureResponseSize(res: Response): number | undefined {
  const counted = written.get(res);
  if (counted) return counted.bytes;
  return toLength(res.getHeader('content-length'));
}

/**
 * The body bytes of a request: its `Content-Length`, 0 without a body, or the size of a body
 * parsed as text or bytes when it came chunked.
 * @returns `undefined` when unknown (a chunked body parsed as JSON or a form)
 */
export function measureRequestSize(req: Request): number | undefined {
  const declared = toLength(req.headers['content-length']);
  if (declared !== undefined) return declared;
  if (req.headers['transfer-encoding'] === undefined) return 0;
  const body: unknown = req.body;
  if (typeof body === 'string' || body instanceof Uint8Array) return byteLength(body, undefined);
  return undefined;
}

function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string')
    return Buffer.byteLength(
      chunk,
      typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8',
    );
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

function toLength(value: unknown): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text === 'number') return text;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}
