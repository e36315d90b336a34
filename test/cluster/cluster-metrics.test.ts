// A real cluster (test/fixtures/cluster-app/server.js, built package): 3 workers on one port,
// the primary's ClusterAggregator on its own port, every worker sharing its metrics.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { findSamples, parseSamples, sampleValue } from '../helpers/exposition';
import { parseOpenMetrics } from '../helpers/openmetrics';
import {
  isAlive,
  startProcess,
  stopAll,
  stopProcess,
  waitFor,
  waitForOutput,
  type Running,
} from './processes';

const SERVER = join(__dirname, '..', 'fixtures', 'cluster-app', 'server.js');
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

interface Cluster {
  primary: Running;
  app: string;
  metrics: string;
  workers: number[];
}

const workerPids: number[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'spectrometer-cluster-'));

async function startCluster(env: Record<string, string> = {}): Promise<Cluster> {
  const primary = startProcess(process.execPath, [SERVER], { env: { WORKERS: '3', ...env } });
  const [line] = await waitForOutput(primary, /^\{.*\}\n/m);
  const ready = JSON.parse(line) as { port: number; metricsPort: number; workers: number[] };
  workerPids.push(...ready.workers);
  return {
    primary,
    app: `http://127.0.0.1:${ready.port}`,
    metrics: `http://127.0.0.1:${ready.metricsPort}`,
    workers: ready.workers,
  };
}

/** One request on a new connection, so the primary hands it to the next worker. */
function get(base: string, path: string, accept?: string) {
  const req = request(base).get(path).set('Connection', 'close');
  return accept ? req.set('Accept', accept) : req;
}

async function scrape(base: string, accept?: string): Promise<string> {
  return (await get(base, '/metrics', accept).expect(200)).text;
}

const workersIn = (text: string, state: string) =>
  sampleValue(text, 'spectrometer_cluster_workers', { state });

afterAll(async () => {
  await stopAll(workerPids);
  rmSync(tmp, { recursive: true, force: true });
});

describe('a 3-worker cluster', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await stopProcess(cluster.primary);
    await waitFor('the workers to exit', () => (cluster.workers.some(isAlive) ? undefined : true));
  });

  it('spreads requests over the workers and sums them on the primary port and on the app', async () => {
    const pids = new Set<string>();
    for (let i = 0; i < 30; i++) pids.add((await get(cluster.app, '/hello').expect(200)).text);
    expect([...pids].sort()).toEqual(cluster.workers.map(String).sort());

    for (const text of [await scrape(cluster.metrics), await scrape(cluster.app)]) {
      const hello = { method: 'GET', operation: 'hello', status: '200' };
      expect(sampleValue(text, 'fixture_http_request_duration_seconds_count', hello)).toBe(30);
      expect(
        sampleValue(text, 'fixture_http_request_total', { method: 'GET', status: '200' }),
      ).toBe(30);
      // x-metrics and a custom middleware metric aggregate like the defaults.
      expect(sampleValue(text, 'fixture_calls_total', { operation: 'hello' })).toBe(30);
      expect(sampleValue(text, 'fixture_custom_total')).toBe(30);
      // Info gauges take the max: one series at 1, not 3.
      expect(findSamples(text, 'fixture_build_info')).toEqual([
        { name: 'fixture_build_info', labels: { commit: 'abc123' }, value: 1 },
      ]);
      expect(findSamples(text, 'fixture_exporter_info').map((s) => s.value)).toEqual([1]);
      expect(workersIn(text, 'responded')).toBe(3);
      expect(workersIn(text, 'timed_out')).toBe(0);
      expect(workersIn(text, 'failed')).toBe(0);
    }
  });

  it('sums in-progress gauges over the workers', async () => {
    const release = join(tmp, 'release-gauge');
    const waiting = [1, 2].map(() => get(cluster.app, `/wait?file=${encodeURIComponent(release)}`));
    const inFlight = waiting.map((req) => req.then((res) => res));
    const text = await waitFor('both waiting requests in the gauge', async () => {
      const scraped = await scrape(cluster.metrics);
      return sampleValue(scraped, 'fixture_waiting') === 2 ? scraped : undefined;
    });
    expect(sampleValue(text, 'fixture_waiting')).toBe(2);
    writeFileSync(release, '');
    for (const res of await Promise.all(inFlight)) expect(res.status).toBe(200);
    expect(sampleValue(await scrape(cluster.metrics), 'fixture_waiting')).toBe(0);
  });

  it('answers OpenMetrics or text as asked, without one corrupting the other', async () => {
    const text1 = await get(cluster.metrics, '/metrics').expect(200);
    const open = await get(cluster.app, '/metrics', OPENMETRICS).expect(200);
    const text2 = await get(cluster.app, '/metrics').expect(200);
    expect(text1.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(open.headers['content-type']).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(open.text.endsWith('# EOF\n')).toBe(true);
    expect(open.text).toContain('# TYPE fixture_calls counter\n');
    expect(sampleValue(open.text, 'fixture_calls_total', { operation: 'hello' })).toBe(30);
    for (const res of [text1, text2]) {
      expect(res.text).toContain('# TYPE fixture_calls_total counter\n');
      expect(res.text).not.toContain('# EOF');
    }
  });

  it('keeps the exemplars of every worker in OpenMetrics scrapes of the aggregate', async () => {
    const traces = ['1', '2', '3'].map((digit) => digit.repeat(32));
    for (const trace of traces) {
      await get(cluster.app, '/hello')
        .set('traceparent', `00-${trace}-${'a'.repeat(16)}-01`)
        .expect(200);
    }
    for (const text of [
      await scrape(cluster.metrics, OPENMETRICS),
      await scrape(cluster.app, OPENMETRICS),
    ]) {
      const withExemplar = text.split('\n').filter((line) => line.includes(' # {trace_id="'));
      const seen = new Set(withExemplar.map((line) => /trace_id="(\w+)"/.exec(line)?.[1]));
      // Each bucket and counter keeps the latest trace among the workers that recorded it.
      expect([...seen].every((trace) => traces.includes(trace ?? ''))).toBe(true);
      const names = new Set(withExemplar.map((line) => /^[^{ ]+/.exec(line)?.[0]));
      expect(names).toEqual(
        new Set([
          'fixture_http_request_duration_seconds_bucket',
          'fixture_http_request_total',
          'fixture_calls_total',
          'fixture_custom_total',
        ]),
      );
      const samples = parseOpenMetrics(text);
      if (samples)
        expect(samples.filter((sample) => sample.exemplar).length).toBe(withExemplar.length);
    }
    expect((await scrape(cluster.metrics)).includes('trace_id')).toBe(false);
  });

  it('filters the aggregate by name like a single process', async () => {
    const res = await get(cluster.app, '/metrics?name[]=fixture_calls_total').expect(200);
    expect(new Set(parseSamples(res.text).map((s) => s.name))).toEqual(
      new Set(['fixture_calls_total']),
    );
  });

  (hasPromtool ? it : it.skip)(
    'renders an aggregate that promtool check metrics accepts',
    async () => {
      const result = spawnSync('promtool', ['check', 'metrics'], {
        input: await scrape(cluster.metrics),
        encoding: 'utf8',
      });
      // The only complaints are about prom-client's own nodejs_active_* gauge names.
      const problems = `${result.stdout}${result.stderr}`.split('\n').filter(Boolean);
      expect(problems.filter((line) => !/^nodejs_active_\w+_total non-counter/.test(line))).toEqual(
        [],
      );
    },
  );

  it('answers within the timeout without a hung worker, and says so in spectrometer_cluster_workers', async () => {
    const before = await scrape(cluster.metrics);
    const calls = sampleValue(before, 'fixture_calls_total', { operation: 'hello' });
    // The worker that gets this request blocks its event loop for 4 s.
    const blocked = get(cluster.app, '/block?ms=4000').then((res) => res);
    const text = await waitFor('a scrape that misses the blocked worker', async () => {
      const scraped = await scrape(cluster.metrics);
      return workersIn(scraped, 'timed_out') === 1 ? scraped : undefined;
    });
    expect(workersIn(text, 'responded')).toBe(2);
    expect(workersIn(text, 'failed')).toBe(0);
    // The two others' share of the calls: less than all of them.
    expect(sampleValue(text, 'fixture_calls_total', { operation: 'hello' })).toBeLessThan(
      calls as number,
    );
    expect((await blocked).status).toBe(200);
    const after = await scrape(cluster.metrics);
    expect(workersIn(after, 'responded')).toBe(3);
    expect(sampleValue(after, 'fixture_calls_total', { operation: 'hello' })).toBe(calls);
    expect(sampleValue(after, 'fixture_calls_total', { operation: 'block' })).toBe(1);
  });

  it('refuses the primary API in a worker with SPM_CLUSTER', async () => {
    expect((await get(cluster.app, '/misuse').expect(200)).text).toBe('SPM_CLUSTER');
  });

  it('leaves a dead worker out of the next scrapes (its counts go with it)', async () => {
    const dead = Number((await request(cluster.app).post('/exit').expect(200)).text);
    expect(cluster.workers).toContain(dead);
    await waitFor('the worker to exit', () => (isAlive(dead) ? undefined : true));
    const text = await scrape(cluster.app);
    expect(workersIn(text, 'responded')).toBe(2);
    expect(workersIn(text, 'timed_out')).toBe(0);
    expect(sampleValue(text, 'fixture_calls_total', { operation: 'exitWorker' })).toBeUndefined();
  });
});

describe('an aggregator started after the workers', () => {
  it('finds the workers that already share their metrics', async () => {
    const cluster = await startCluster({ WORKERS: '2', LATE_AGGREGATOR: '1' });
    try {
      await get(cluster.app, '/hello').expect(200);
      const text = await waitFor('both workers in a scrape', async () => {
        const scraped = await scrape(cluster.metrics);
        return workersIn(scraped, 'responded') === 2 ? scraped : undefined;
      });
      expect(sampleValue(text, 'fixture_calls_total', { operation: 'hello' })).toBe(1);
    } finally {
      await stopProcess(cluster.primary);
    }
  });
});

describe('a worker whose primary runs no ClusterAggregator', () => {
  it('answers its /metrics with a 500 naming the problem, after a bounded wait', async () => {
    const cluster = await startCluster({ WORKERS: '1', NO_AGGREGATOR: '1', TIMEOUT_MS: '200' });
    try {
      const res = await get(cluster.app, '/metrics').expect(500);
      expect(res.text).toBe(
        '# failed to collect metrics: The cluster primary did not answer a metrics scrape within 1200 ms; does it run a ClusterAggregator?\n',
      );
    } finally {
      await stopProcess(cluster.primary);
    }
  });
});
