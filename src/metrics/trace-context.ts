import type { IncomingMessage } from 'node:http';

/** The trace a request belongs to, as exemplars carry it. */
export interface TraceContext {
  traceId: string;
  spanId: string;
}

// version-traceid-parentid-flags; version ff is invalid, all-zero ids are invalid (W3C Trace Context).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(?:-|$)/;
const ZEROS = /^0+$/;

/**
 * The trace and parent span of a W3C `traceparent` header, if it is valid.
 * @example
 * readTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')
 * // { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' }
 */
export function readTraceparent(header: unknown): TraceContext | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId = '', spanId = ''] = match;
  if (version === 'ff' || ZEROS.test(traceId) || ZEROS.test(spanId)) return undefined;
  return { traceId, spanId };
}

/** The part of `@opentelemetry/api` that exemplars use. */
export interface OpenTelemetryApi {
  trace: { getActiveSpan(): { spanContext(): { traceId: string; spanId: string } } | undefined };
  isSpanContextValid(context: { traceId: string; spanId: string }): boolean;
}

// @opentelemetry/api is an optional peer: loaded on first use, remembered when it is missing.
let openTelemetry: OpenTelemetryApi | null | undefined;

/**
 * Replaces what `require('@opentelemetry/api')` gives (`undefined`: look it up again).
 * @internal for tests, which stand in for the optional peer
 * @example useOpenTelemetryApi({ trace, isSpanContextValid })
 */
export function useOpenTelemetryApi(api: OpenTelemetryApi | null | undefined): void {
  openTelemetry = api;
}

function loadOpenTelemetry(): OpenTelemetryApi | null {
  if (openTelemetry !== undefined) return openTelemetry;
  try {
    // Why require: an optional peer that most apps do not have, looked up once at run time.
    openTelemetry = require('@opentelemetry/api') as OpenTelemetryApi;
  } catch {
    openTelemetry = null;
  }
  return openTelemetry;
}

/**
 * The trace of a request as it enters the app: the active OpenTelemetry span when
 * `@opentelemetry/api` is installed and a span is active (the server span its instrumentation
 * started), else the request's `traceparent` header.
 * @example
 * traceOf(req)?.traceId
 */
export function traceOf(req: IncomingMessage): TraceContext | undefined {
  const api = loadOpenTelemetry();
  const context = api?.trace.getActiveSpan()?.spanContext();
  if (api && context && api.isSpanContextValid(context)) {
    return { traceId: context.traceId, spanId: context.spanId };
  }
  return readTraceparent(req.headers.traceparent);
}
