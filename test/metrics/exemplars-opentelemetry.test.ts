import request from 'supertest';
import { useOpenTelemetryApi } from '../../src/metrics/trace-context';
import { instrumentedApp } from '../helpers/apps';

// With @opentelemetry/api installed (an optional peer, stood in for here with its documented
// surface), exemplars carry the active span: the server span its instrumentation started.
const OTEL_TRACE = 'c'.repeat(32);
const OTEL_SPAN = 'd'.repeat(16);
let active: { traceId: string; spanId: string } | undefined;

// The documented surface of @opentelemetry/api, standing in for the optional peer.
beforeAll(() =>
  useOpenTelemetryApi({
    trace: { getActiveSpan: () => active && { spanContext: () => active! } },
    isSpanContextValid: (context) => !/^0+$/.test(context.traceId) && !/^0+$/.test(context.spanId),
  }),
);
afterAll(() => useOpenTelemetryApi(undefined));

const TRACEPARENT = `00-${'4'.repeat(32)}-${'5'.repeat(16)}-01`;

async function exemplars(traceparent?: string): Promise<string[]> {
  const { app } = instrumentedApp({ buckets: [10] });
  app.get('/', (_req, res) => res.send('ok'));
  const sent = request(app).get('/');
  await (traceparent ? sent.set('traceparent', traceparent) : sent);
  const text = (await request(app).get('/metrics').set('Accept', 'application/openmetrics-text'))
    .text;
  return text.split('\n').filter((line) => line.includes(' # {'));
}

describe('exemplars with @opentelemetry/api', () => {
  it('take the active span over the traceparent header', async () => {
    active = { traceId: OTEL_TRACE, spanId: OTEL_SPAN };
    const lines = await exemplars(TRACEPARENT);
    expect(lines).toHaveLength(2);
    for (const line of lines)
      expect(line).toContain(`{trace_id="${OTEL_TRACE}",span_id="${OTEL_SPAN}"}`);
  });

  it('fall back to the traceparent header without an active (or with an invalid) span', async () => {
    for (const span of [undefined, { traceId: '0'.repeat(32), spanId: OTEL_SPAN }]) {
      active = span;
      const lines = await exemplars(TRACEPARENT);
      expect(lines).toHaveLength(2);
      for (const line of lines) expect(line).toContain(`trace_id="${'4'.repeat(32)}"`);
    }
    active = undefined;
    expect(await exemplars()).toEqual([]);
  });
});
