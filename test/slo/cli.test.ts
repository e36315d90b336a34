import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../../src/cli/run';
import type { GrafanaDashboard } from '../../src/slo';

const INVALID = 'test/fixtures/slo-every-problem/openapi.yaml';

// Runs the CLI in-process and captures what it prints (stdout: console.log and process.stdout).
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = jest
    .spyOn(console, 'error')
    .mockImplementation((...a) => void err.push(a.join(' ')));
  const write = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => Boolean(out.push(String(chunk).replace(/\n$/, ''))));
  try {
    const code = await runCli(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), 'spectrometer-slo-cli-'));

describe('spectrometer rules', () => {
  it('prints the rule file on stdout, notes on stderr', async () => {
    const { code, out, err } = await run(['rules', 'specs/petstore.yaml']);
    expect(code).toBe(0);
    const file = parse(out) as { groups: Array<{ name: string; rules: unknown[] }> };
    expect(file.groups.map((g) => [g.name, g.rules.length])).toEqual([['petstore-slo', 14 + 18]]);
    expect(err).toBe(
      'note: no SLO for getPetPhoto, getHealth: no default metrics (x-metrics track: false or exclude: true)',
    );
  });

  it('writes the file given with -o and says what it holds', async () => {
    const file = join(tmp(), 'slo-rules.yml');
    const { code, out } = await run(['rules', 'specs/petstore.yaml', '-o', file]);
    expect(code).toBe(0);
    expect(out).toBe(`${file}: 14 recording rules, 18 alerts for 5 operation(s) with an SLO`);
    expect(readFileSync(file, 'utf8')).toContain('alert: SLOErrorBudgetBurn');
  });

  it('exits 1 with every problem, pointer first, then the fix; writes nothing', async () => {
    const file = join(tmp(), 'never.yml');
    const { code, out } = await run(['rules', INVALID, '--output', file]);
    expect(code).toBe(1);
    const lines = out.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '#/x-slo/latencey',
      '  unknown key "latencey"',
      '  fix: did you mean "latency"?',
    ]);
    expect(lines.filter((line) => line.startsWith('#/'))).toHaveLength(11);
    expect(lines).toContain('#/paths/~1b/put/x-slo/availability (PUT /b, operationId putB)');
    expect(lines[lines.length - 1]).toBe(
      `${INVALID}: 11 problem(s) in x-metrics/x-slo; nothing written (spectrometer lint ${INVALID} lists them too)`,
    );
    expect(() => readFileSync(file)).toThrow();
  });

  it('lists its options with --help', async () => {
    const { code, out } = await run(['rules', '--help']);
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual(
      expect.arrayContaining([
        'usage: spectrometer rules <spec> [options]',
        '  -o, --output <file>    write the rules into <file>',
        "  --allow-external-refs  file $refs may leave the spec's folder",
        '  -h, --help             print this help',
      ]),
    );
  });

  it('exits 2 on a usage error', async () => {
    const { code, err } = await run(['rules', 'specs/petstore.yaml', '-o']);
    expect(code).toBe(2);
    expect(err).toContain('rules: -o needs a value');
  });
});

describe('spectrometer dashboard', () => {
  it('writes the Grafana dashboard JSON given with -o', async () => {
    const file = join(tmp(), 'dashboard.json');
    const { code, out } = await run(['dashboard', 'specs/petstore.yaml', '-o', file]);
    expect(code).toBe(0);
    const dashboard = JSON.parse(readFileSync(file, 'utf8')) as GrafanaDashboard;
    expect(dashboard.title).toBe('Petstore (spectrometer)');
    expect(out).toBe(
      `${file}: Grafana dashboard "Petstore (spectrometer)" (uid ${dashboard.uid}): 16 panels, 26 queries`,
    );
  });

  it('prints it on stdout without -o', async () => {
    const { code, out } = await run(['dashboard', 'test/fixtures/slo-levels/openapi.yaml']);
    expect(code).toBe(0);
    expect((JSON.parse(out) as GrafanaDashboard).templating.list.map((v) => v.name)).toEqual([
      'datasource',
      'operation',
    ]);
  });

  it('exits 1 with the same problems as rules', async () => {
    const rules = await run(['rules', INVALID]);
    const dashboard = await run(['dashboard', INVALID]);
    expect(dashboard.code).toBe(1);
    expect(dashboard.out).toBe(rules.out);
  });

  it('lists its options with --help', async () => {
    const { code, out } = await run(['dashboard', '-h']);
    expect(code).toBe(0);
    expect(out).toContain('  -o, --output <file>    write the dashboard into <file>');
    expect(out).toContain('default: stdout');
  });
});

describe('lint and metrics with x-slo', () => {
  it('lint reports every x-slo problem and counts them', async () => {
    const { code, out } = await run(['lint', INVALID]);
    expect(code).toBe(1);
    expect(out).toContain('#/x-slo/window\n  "window" must be between 7d and 90d, got "1d"');
    expect(out.split('\n').pop()).toBe(`${INVALID}: 11 problem(s) in x-slo`);
  });

  it('lint --json tags them x-slo', async () => {
    const { out } = await run(['lint', INVALID, '--json']);
    const report = JSON.parse(out) as { problems: Array<{ in: string }> };
    expect(new Set(report.problems.map((p) => p.in))).toEqual(new Set(['x-slo']));
  });

  it('metrics shows the duration buckets, x-slo thresholds marked', async () => {
    const { code, out } = await run(['metrics', 'specs/petstore.yaml']);
    expect(code).toBe(0);
    expect(out.split('\n').pop()).toBe(
      'petstore_http_request_duration_seconds buckets: 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3 (x-slo threshold), 0.5 (x-slo threshold), 1, 2.5',
    );
    const json = JSON.parse((await run(['metrics', 'specs/petstore.yaml', '--json'])).out) as Array<
      Record<string, unknown>
    >;
    expect(json[0]).toMatchObject({
      name: 'petstore_http_request_duration_seconds',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5],
      sloThresholds: [0.3, 0.5],
    });
  });

  it('metrics exits 1 on an invalid x-slo', async () => {
    const { code, out } = await run([
      'metrics',
      'test/fixtures/slo-latency-on-summary/openapi.yaml',
    ]);
    expect(code).toBe(1);
    expect(out).toContain('#/paths/~1a/get/x-slo/latency (GET /a, operationId getA)');
  });
});
