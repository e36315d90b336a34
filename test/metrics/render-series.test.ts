import { Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';
import request from 'supertest';
import { renderRegistry } from '../../src/metrics/exposition';
import { instrumentedApp } from '../helpers/apps';
import { parseOpenMetrics } from '../helpers/openmetrics';
import { promtoolCheckMetrics } from '../helpers/promtool';

const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';

/** A registry with every metric type and every corner of the text format. */
function everyType(): Registry {
  const registry = new Registry();
  const registers = [registry];
  const counter = new Counter({
    name: 'orders_total',
    help: 'Orders with a \\ backslash\nand a second line',
    labelNames: ['shop', 'code'],
    registers,
  });
  counter.inc({ shop: 'a "quoted" \\ value\nover two lines', code: 200 }, 3);
  counter.inc({ shop: 'b', code: 404 });
  new Counter({ name: 'plain_total', help: 'No labels', registers }).inc(0.5);
  new Counter({ name: 'no_suffix', help: 'A counter named without _total', registers }).inc();
  const gauge = new Gauge({ name: 'temperature', help: 'T', labelNames: ['room'], registers });
  gauge.set({ room: 'kitchen' }, -3.25);
  gauge.set({ room: 'attic' }, Infinity);
  gauge.set({ room: 'cellar' }, 1e21);
  new Gauge({
    name: 'collected',
    help: 'Set by collect()',
    registers,
    collect() {
      this.set(42);
    },
  });
  new Gauge({ name: 'empty_labelled', help: 'No series yet', labelNames: ['x'], registers });
  const histogram = new Histogram({
    name: 'latency_seconds',
    help: 'Default buckets',
    labelNames: ['route', 'status'],
    registers,
  });
  for (const value of [0.003, 0.2, 0.2, 7, 30])
    histogram.observe({ route: '/a', status: 200 }, value);
  histogram.zero({ route: '/b', status: 500 });
  const plain = new Histogram({ name: 'sizes', help: 'Own buckets', buckets: [1, 10], registers });
  plain.observe(5);
  const summary = new Summary({
    name: 'rpc_seconds',
    help: 'Summary',
    labelNames: ['method'],
    percentiles: [0.5, 0.99],
    registers,
  });
  for (const value of [1, 2, 3]) summary.observe({ method: 'get' }, value);
  new Summary({ name: 'idle_seconds', help: 'Never observed', registers });
  return registry;
}

describe('the renderer', () => {
  it('renders every metric type in text exactly as prom-client does', async () => {
    const registry = everyType();
    const ours = (await renderRegistry(registry)).body;
    expect(ours).toBe(await registry.metrics());
    expect(ours).toContain(
      'orders_total{shop="a \\"quoted\\" \\\\ value\\nover two lines",code="200"} 3',
    );
  });

  it('merges registry default labels as prom-client does, byte for byte', async () => {
    const registry = everyType();
    registry.setDefaultLabels({ region: 'eu', route: 'default' });
    expect((await renderRegistry(registry)).body).toBe(await registry.metrics());
  });

  it("renders the default metrics of a real app exactly as prom-client's registry.metrics()", async () => {
    const { app, metrics, registry } = instrumentedApp({ groupBy: 'path' });
    app.get('/items/:id', (_req, res) => res.send('ok'));
    for (const id of ['1', '2', '3', 'a"b'])
      await request(app).get(`/items/${encodeURIComponent(id)}`);
    expect((await metrics.generateMetrics()).body).toBe(await registry.metrics());
  });

  it('writes NaN as NaN, where prom-client writes Nan', async () => {
    const registry = new Registry();
    new Gauge({ name: 'ratio', help: 'R', registers: [registry] }).set(NaN);
    const ours = (await renderRegistry(registry)).body;
    expect(ours).toBe('# HELP ratio R\n# TYPE ratio gauge\nratio NaN\n');
    expect(ours.replace('NaN', 'Nan')).toBe(await registry.metrics());
  });

  it('passes promtool', async () => {
    const result = promtoolCheckMetrics((await renderRegistry(everyType())).body);
    // Its only finding is the counter named without _total on purpose.
    if (result) expect(result.output).toBe('no_suffix counter metrics should have "_total" suffix');
  });

  it('renders OpenMetrics that a strict parser reads as the same samples as the text', async () => {
    const registry = everyType();
    const text = (await renderRegistry(registry)).body;
    const open = await renderRegistry(registry, { accept: OPENMETRICS });
    expect(open.contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(open.body.endsWith('\n# EOF\n')).toBe(true);
    const samples = parseOpenMetrics(open.body);
    if (!samples) return;
    const counted = (name: string) => samples.filter((s) => s.name === name);
    expect(counted('orders_total')).toEqual([
      expect.objectContaining({
        family: 'orders',
        type: 'counter',
        labels: { shop: 'a "quoted" \\ value\nover two lines', code: '200' },
        value: 3,
      }),
      expect.objectContaining({ labels: { shop: 'b', code: '404' }, value: 1 }),
    ]);
    expect(counted('no_suffix_total')).toHaveLength(1);
    expect(counted('latency_seconds_bucket')).toHaveLength(24);
    expect(counted('rpc_seconds')).toHaveLength(2);
    // Every text sample is there (counters under their _total name).
    const textLines = text.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(samples.length).toBe(textLines.length);
    // An OpenMetrics scrape leaves the next text scrape alone.
    expect((await renderRegistry(registry)).body).toBe(text);
  });

  it('renders the exemplars of metrics created with enableExemplars in OpenMetrics only', async () => {
    // prom-client only lets exemplars into a registry of the OpenMetrics type.
    const OpenMetricsRegistry = Registry as unknown as new (contentType: string) => Registry;
    const registry = new OpenMetricsRegistry(Registry.OPENMETRICS_CONTENT_TYPE);
    type WithExemplars = { inc(data: object): void; observe(data: object): void };
    const counter = new Counter({
      name: 'jobs_total',
      help: 'Jobs',
      labelNames: ['queue'],
      enableExemplars: true,
      registers: [registry],
    }) as unknown as WithExemplars;
    counter.inc({ labels: { queue: 'q' }, value: 2, exemplarLabels: { trace_id: 'abc' } });
    const histogram = new Histogram({
      name: 'job_seconds',
      help: 'Job time',
      buckets: [0.1, 1],
      enableExemplars: true,
      registers: [registry],
    }) as unknown as WithExemplars;
    histogram.observe({ value: 0.5, exemplarLabels: { trace_id: 'def', span_id: '01' } });
    histogram.observe({ value: 5, exemplarLabels: { trace_id: 'ghi' } });
    const open = (await renderRegistry(registry, { accept: OPENMETRICS })).body;
    expect(open).toMatch(/^jobs_total\{queue="q"\} 2 # \{trace_id="abc"\} 2 \d+(\.\d+)?$/m);
    expect(open).toMatch(
      /^job_seconds_bucket\{le="1"\} 1 # \{trace_id="def",span_id="01"\} 0\.5 /m,
    );
    expect(open).toMatch(/^job_seconds_bucket\{le="\+Inf"\} 2 # \{trace_id="ghi"\} 5 /m);
    expect(open).toMatch(/^job_seconds_bucket\{le="0\.1"\} 0$/m);
    const samples = parseOpenMetrics(open);
    if (samples) {
      expect(samples.filter((s) => s.exemplar).map((s) => s.exemplar)).toEqual([
        { labels: { trace_id: 'abc' }, value: 2 },
        { labels: { trace_id: 'def', span_id: '01' }, value: 0.5 },
        { labels: { trace_id: 'ghi' }, value: 5 },
      ]);
    }
    const text = (await renderRegistry(registry)).body;
    expect(text).toContain('jobs_total{queue="q"} 2\n');
    expect(text).not.toContain('trace_id');
  });
});
