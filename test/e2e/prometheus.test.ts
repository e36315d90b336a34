// End to end with a real Prometheus server: it scrapes the petstore example (one process) and
// the cluster example (3 workers: the app's /metrics and the primary's port) every second; the
// per-operation totals it stores must equal the requests sent. Uses the built package (dist/).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadSpec } from '../../src/openapi/load-spec';
import { compileXMetrics } from '../../src/x-metrics';
import {
  childPids,
  freePorts,
  startProcess,
  stopAll,
  waitFor,
  waitForOutput,
  type Running,
} from '../cluster/processes';

const repo = join(__dirname, '..', '..');
const installed = ['prometheus', 'promtool'].every(
  (tool) => spawnSync(tool, ['--version']).status === 0,
);
if (!installed && !process.env.CI) {
  console.warn(
    'SKIPPED test/e2e/prometheus.test.ts: prometheus/promtool are not installed (apt-get install prometheus); CI fails instead',
  );
}
const describeE2e = installed || process.env.CI ? describe : describe.skip;

/** Requests per operation, sent to each API (unmatched ones are counted as __unmatched__). */
const SENT: Record<string, { method: 'get' | 'post' | 'delete'; path: string; times: number }> = {
  listPets: { method: 'get', path: '/v1/pets?limit=2', times: 7 },
  getPet: { method: 'get', path: '/v1/pets/1', times: 5 },
  createPet: { method: 'post', path: '/v1/pets', times: 4 },
  getPetCard: { method: 'get', path: '/v1/pets/2/card', times: 3 },
  getPetPhoto: { method: 'get', path: '/v1/pets/3/photo', times: 2 },
  deletePet: { method: 'delete', path: '/v1/pets/99', times: 1 },
  getHealth: { method: 'get', path: '/v1/health', times: 2 },
  __unmatched__: { method: 'get', path: '/v1/nothing-here', times: 2 },
};

/**
 * What the examples record of SENT, read from the spec they serve (specs/petstore.yaml): its
 * x-metrics prefix, and no default metrics for operations with `track: false` or `exclude: true`.
 */
async function expectedTotals(): Promise<{ prefix: string; byOperation: Record<string, number> }> {
  const { document } = await loadSpec(join(repo, 'specs', 'petstore.yaml'));
  const compiled = compileXMetrics(document);
  const prefix = compiled.document.defaultsPrefix ?? 'express';
  const tracked = ([operation]: [string, unknown]) => {
    const metrics = compiled.operations.get(operation);
    return !metrics || (metrics.track && !metrics.exclude);
  };
  const byOperation = Object.entries(SENT)
    .filter(tracked)
    .map(([operation, { times }]) => [operation, times]);
  return { prefix: prefix ? `${prefix}_` : '', byOperation: Object.fromEntries(byOperation) };
}
const JOBS = ['single', 'cluster-app', 'cluster-primary'] as const;

/** Every trace id sent with a `traceparent` (exemplars must carry these and no other). */
const TRACE_IDS = new Set<string>();

function traceparent(): string {
  const traceId = (TRACE_IDS.size + 1).toString(16).padStart(32, 'e');
  TRACE_IDS.add(traceId);
  return `00-${traceId}-${'f'.repeat(16)}-01`;
}

/**
 * Sends SENT to `base`, each request on a new connection (a cluster spreads them) and with a
 * trace of its own.
 */
async function sendTraffic(base: string): Promise<void> {
  for (const { method, path, times } of Object.values(SENT)) {
    for (let i = 0; i < times; i++) {
      const agent = request(base);
      const req = agent[method](path).set('Connection', 'close').set('traceparent', traceparent());
      if (method === 'post') {
        await req.set('Authorization', 'Bearer demo-token').send({ name: `pet${i}` });
      } else await req;
    }
  }
}

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

describeE2e('a real Prometheus scraping the examples', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'spectrometer-e2e-'));
  const orphans: number[] = [];
  let prometheus: Running;
  let promApi: string;
  let single: string;
  let clusterApp: string;
  let clusterPrimary: string;
  let config: string;
  let lastRequest = 0;
  let expected: Awaited<ReturnType<typeof expectedTotals>>;

  async function query(promql: string): Promise<Vector[]> {
    const res = await request(promApi).get('/api/v1/query').query({ query: promql }).expect(200);
    return (res.body as { data: { result: Vector[] } }).data.result;
  }

  beforeAll(async () => {
    if (!installed) throw new Error('prometheus/promtool are not installed (CI is set)');
    expected = await expectedTotals();
    const [appPort, clusterPort, primaryPort, promPort] = (await freePorts(4)) as [
      number,
      number,
      number,
      number,
    ];
    const petstore = startProcess(
      process.execPath,
      [join(repo, 'examples', 'petstore', 'dist', 'server.js')],
      { cwd: repo, env: { PORT: String(appPort) } },
    );
    const cluster = startProcess(
      process.execPath,
      [join(repo, 'examples', 'cluster', 'server.js')],
      {
        cwd: repo,
        env: { WORKERS: '3', PORT: String(clusterPort), METRICS_PORT: String(primaryPort) },
      },
    );
    await Promise.all([
      waitForOutput(petstore, /petstore API on/),
      waitForOutput(cluster, /with 3 workers/),
    ]);
    orphans.push(...childPids(cluster.pid));
    single = `http://127.0.0.1:${appPort}`;
    clusterApp = `http://127.0.0.1:${clusterPort}`;
    clusterPrimary = `http://127.0.0.1:${primaryPort}`;

    config = join(tmp, 'prometheus.yml');
    writeFileSync(config, prometheusConfig({ appPort, clusterPort, primaryPort }));
    prometheus = startProcess('prometheus', [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(tmp, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--enable-feature=exemplar-storage',
      '--log.level=warn',
    ]);
    promApi = `http://127.0.0.1:${promPort}`;
    await waitFor(
      'Prometheus to be ready',
      async () => ((await request(promApi).get('/-/ready')).status === 200 ? true : undefined),
      20_000,
      prometheus.output,
    );
    await Promise.all([sendTraffic(single), sendTraffic(clusterApp)]);
    lastRequest = Date.now() / 1000;
    // Every job scraped after the last request (a little later, so recording has surely ended).
    await waitFor(
      'a scrape of every job after the last request',
      async () => {
        const scrapes = await query('timestamp(up == 1)');
        const fresh = scrapes.filter((s) => s.value[1] && Number(s.value[1]) > lastRequest + 0.2);
        return fresh.length === JOBS.length ? true : undefined;
      },
      20_000,
      prometheus.output,
    );
  }, 50_000);

  afterAll(async () => {
    await stopAll(orphans);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('has a config that promtool check config accepts (and so is the example one)', () => {
    for (const file of [config, join(repo, 'examples', 'prometheus', 'prometheus.yml')]) {
      const result = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
      expect({ file, status: result.status, stderr: result.stderr }).toEqual({
        file,
        status: 0,
        stderr: '',
      });
    }
  });

  it.each(JOBS)('stores per-operation totals equal to the requests sent (%s)', async (job) => {
    const { prefix, byOperation } = expected;
    expect(byOperation).toMatchObject({ listPets: 7, getPet: 5, __unmatched__: 2 });
    const stored = await query(
      `sum by (operation) (${prefix}http_request_duration_seconds_count{job="${job}"})`,
    );
    expect(Object.fromEntries(stored.map((v) => [v.metric.operation, +v.value[1]]))).toEqual(
      byOperation,
    );
    const total = await query(`sum(${prefix}http_request_total{job="${job}"})`);
    const sent = Object.values(byOperation).reduce((a, b) => a + b, 0);
    expect(total.map((v) => +v.value[1])).toEqual([sent]);
  });

  it('sees every cluster worker in every stored scrape, and one exporter_info series', async () => {
    for (const job of ['cluster-app', 'cluster-primary']) {
      const workers = await query(`spectrometer_cluster_workers{job="${job}"}`);
      const byState = Object.fromEntries(workers.map((v) => [v.metric.state, +v.value[1]]));
      expect(byState).toEqual({ responded: 3, timed_out: 0, failed: 0 });
      const missing = await query(
        `max_over_time(spectrometer_cluster_workers{job="${job}",state!="responded"}[1m])`,
      );
      expect(missing.map((v) => +v.value[1])).toEqual([0, 0]);
      const info = await query(`${expected.prefix}exporter_info{job="${job}"}`);
      expect(info.map((v) => +v.value[1])).toEqual([1]);
    }
  });

  it('stores the exemplars of OpenMetrics scrapes: the trace ids sent (query_exemplars)', async () => {
    const bucket = `${expected.prefix}http_request_duration_seconds_bucket`;
    for (const job of JOBS) {
      const res = await request(promApi)
        .get('/api/v1/query_exemplars')
        .query({
          query: `${bucket}{job="${job}"}`,
          start: lastRequest - 300,
          end: Date.now() / 1000,
        })
        .expect(200);
      const series = (
        res.body as { data: Array<{ exemplars: Array<{ labels: Record<string, string> }> }> }
      ).data;
      const traces = series.flatMap((s) => s.exemplars.map((e) => e.labels.trace_id));
      expect({ job, some: traces.length > 0 }).toEqual({ job, some: true });
      expect(traces.filter((trace) => !TRACE_IDS.has(trace ?? ''))).toEqual([]);
      for (const exemplar of series.flatMap((s) => s.exemplars))
        expect(exemplar.labels.span_id).toBe('f'.repeat(16));
    }
  });

  it('scrapes that promtool check metrics accepts', async () => {
    for (const base of [single, clusterApp, clusterPrimary]) {
      const text = (await request(base).get('/metrics').expect(200)).text;
      const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      // The only complaints are about prom-client's own nodejs_active_* gauge names.
      const problems = `${result.stdout}${result.stderr}`
        .split('\n')
        .filter((line) => line && !/^nodejs_active_\w+_total non-counter/.test(line));
      expect({ base, problems }).toEqual({ base, problems: [] });
    }
  });
});

function prometheusConfig(ports: { appPort: number; clusterPort: number; primaryPort: number }) {
  const job = (name: string, port: number) =>
    `  - job_name: ${name}\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`;
  return (
    'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n' +
    job('single', ports.appPort) +
    job('cluster-app', ports.clusterPort) +
    job('cluster-primary', ports.primaryPort)
  );
}
