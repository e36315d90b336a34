import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { runCli } from '../../src/cli/run';

const VALID = 'test/fixtures/x-metrics-every-feature/openapi.yaml';
const INVALID = 'test/fixtures/x-metrics-buckets-not-ascending/openapi.yaml';

// Runs the CLI in-process and captures what it prints.
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest
    .spyOn(console, 'log')
    .mockImplementation((...args) => void out.push(args.join(' ')));
  const error = jest
    .spyOn(console, 'error')
    .mockImplementation((...args) => void err.push(args.join(' ')));
  try {
    const code = await runCli(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('spectrometer lint', () => {
  it('exits 0 with one OK line for a valid spec, after its warnings', async () => {
    const { code, out, err } = await run(['lint', VALID]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    // The fixture uses every source, raw client-controlled ones too: each is a warning.
    expect(out.split('\n').filter((line) => line.startsWith('warning: '))).toHaveLength(4);
    expect(out.split('\n').pop()).toBe(
      `${VALID}: OK (5 operations, 8 x-metrics metrics, 4 warning(s))`,
    );
  });

  it('exits 1 and prints each problem pointer first, then the fix', async () => {
    const { code, out } = await run(['lint', INVALID]);
    expect(code).toBe(1);
    expect(out.split('\n')).toEqual([
      '#/paths/~1pets/post/x-metrics/metrics/0/buckets (POST /pets, operationId createPet)',
      '  "buckets" must be ascending, got [1, 0.5]',
      '  fix: write [0.5, 1]',
      `${INVALID}: 1 problem(s) in x-metrics`,
    ]);
  });

  it('exits 1 for duplicate operationIds, which createApi would refuse, and warns of derived ones', async () => {
    const spec = 'test/fixtures/missing-operation-id/openapi.yaml';
    const { code, out } = await run(['lint', spec]);
    expect(code).toBe(1);
    expect(out.split('\n')).toEqual([
      'warning: #',
      '  1 operation has no operationId; derived: POST /pets → postPets',
      expect.stringMatching(/^ {2}fix: handlers and metrics use the derived ids/),
      '#/paths/~1pets~1{petId}/delete/operationId (DELETE /pets/{petId}, operationId listPets)',
      expect.stringMatching(/^ {2}operationId "listPets" is already used by GET \/pets/),
      '  fix: operationIds must be unique',
      `${spec}: 1 problem(s) in the operations`,
    ]);
  });

  it('exits 1 for missing operationIds with --strict, suggesting the derived id', async () => {
    const spec = 'test/fixtures/derived-operation-ids/openapi.yaml';
    expect((await run(['lint', spec])).code).toBe(0);
    const { code, out } = await run(['lint', spec, '--strict']);
    expect(code).toBe(1);
    expect(out).not.toContain('warning:');
    expect(out.split('\n').slice(0, 3)).toEqual([
      '#/paths/~1/get/operationId (GET /)',
      '  operation has no operationId',
      '  fix: add e.g. "operationId: getRoot"',
    ]);
    expect(out.split('\n').pop()).toBe(`${spec}: 5 problem(s) in the operations`);
  });

  it('prints same-shaped paths as a warning and exits 0, --strict or not', async () => {
    const spec = 'test/fixtures/same-shaped-paths/openapi.yaml';
    const { code, out } = await run(['lint', spec, '--strict']);
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      'warning: #/paths/~1orgs~1{org}~1items~1{name}',
      '  /orgs/{org}/items/{name} is the same path as /orgs/{org}/items/{id} (only the parameter names differ); served, since no method is on more than one of them',
      '  fix: merge their operations into /orgs/{org}/items/{id}',
      `${spec}: OK (2 operations, 0 x-metrics metrics, 1 warning(s))`,
    ]);
  });

  it('prints naming advice as warnings and still exits 0', async () => {
    const spec = 'test/fixtures/x-metrics-counter-without-total/openapi.yaml';
    const { code, out } = await run(['lint', spec]);
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      'warning: #/paths/~1pets~1{petId}/get/x-metrics/metrics/0/name (GET /pets/{petId}, operationId getPet)',
      '  counter names should end in "_total", got "pet_lookups" (exposed as "pet_lookups_total")',
      '  fix: rename it "pet_lookups_total"',
      expect.stringMatching(
        new RegExp(`^${spec}: OK \\(\\d+ operations, 1 x-metrics metrics, 1 warning\\(s\\)\\)$`),
      ),
    ]);
  });

  it('exits 1 when the spec cannot be read', async () => {
    const { code, out } = await run(['lint', 'test/fixtures/x-metrics-unknown-key/missing.yaml']);
    expect(code).toBe(1);
    expect(out).toContain('cannot read OpenAPI document');
  });

  it('exits 2 with the usage when the spec is missing', async () => {
    expect(await run(['lint'])).toEqual({
      code: 2,
      out: '',
      err: 'lint: the spec is missing\nusage: spectrometer lint <spec> [--strict] [--json] [--allow-external-refs] [--help]',
    });
  });

  it('exits 2 on an unknown option', async () => {
    const { code, err } = await run(['lint', VALID, '--fix']);
    expect(code).toBe(2);
    expect(err).toContain('unknown option --fix');
  });
});

describe('spectrometer metrics', () => {
  it('prints a table of every metric with type, labels and operations', async () => {
    const { code, out } = await run(['metrics', VALID]);
    expect(code).toBe(0);
    const rows = out.split('\n').map((line) => line.split(/\s{2,}/));
    expect(rows[0]).toEqual(['metric', 'type', 'labels', 'operations']);
    expect(rows).toContainEqual([
      'petstore_http_request_duration_seconds',
      'histogram',
      'method, operation, status, service, tenant',
      'listPets, createPet, deletePet',
    ]);
    expect(rows).toContainEqual(['petstore_exporter_info', 'gauge', 'version', '(exporter)']);
    expect(rows).toContainEqual([
      'petstore_calls_total',
      'counter',
      'operation, method, plan, service, tenant',
      'listPets, createPet, getPet, deletePet',
    ]);
    expect(rows).toContainEqual([
      'pet_lookups_total',
      'counter',
      'species, service, tenant',
      'getPet, deletePet',
    ]);
  });

  it('prints JSON with --json', async () => {
    const { code, out } = await run(['metrics', VALID, '--json']);
    expect(code).toBe(0);
    const list = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(list.map((metric) => metric.name)).toHaveLength(14);
    expect(list).toContainEqual({
      name: 'pet_lookups_total',
      type: 'counter',
      labels: ['species', 'service', 'tenant'],
      operations: ['getPet', 'deletePet'],
      origin: 'x-metrics',
      help: 'Pet lookups by species.',
      declaredAt: [
        '#/paths/~1pets~1{petId}/get/x-metrics/metrics/0',
        '#/paths/~1pets~1{petId}/delete/x-metrics/metrics/0',
      ],
    });
  });

  it('names operations without an operationId by their derived id', async () => {
    const { code, out } = await run([
      'metrics',
      'test/fixtures/derived-operation-ids/openapi.yaml',
    ]);
    expect(code).toBe(0);
    const rows = out.split('\n').map((line) => line.split(/\s{2,}/));
    expect(rows).toContainEqual(['pet_listings_total', 'counter', '-', 'getPets2']);
  });

  it('exits 1 with the problems when x-metrics is invalid', async () => {
    const { code, out } = await run(['metrics', INVALID]);
    expect(code).toBe(1);
    expect(out).toContain('#/paths/~1pets/post/x-metrics/metrics/0/buckets');
  });
});

describe('the built CLI', () => {
  beforeAll(() => {
    const built = 'dist/cli/lint.js';
    if (!existsSync(built) || statSync(built).mtimeMs < statSync('src/cli/lint.ts').mtimeMs) {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
    }
  }, 120_000);

  it('runs lint as a process with exit codes 0 and 1', () => {
    const ok = spawnSync(process.execPath, ['dist/cli.js', 'lint', VALID], { encoding: 'utf8' });
    expect({ status: ok.status, last: ok.stdout.trim().split('\n').pop() }).toEqual({
      status: 0,
      last: `${VALID}: OK (5 operations, 8 x-metrics metrics, 4 warning(s))`,
    });
    const bad = spawnSync(process.execPath, ['dist/cli.js', 'lint', INVALID], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout.split('\n')[0]).toBe(
      '#/paths/~1pets/post/x-metrics/metrics/0/buckets (POST /pets, operationId createPet)',
    );
  });
});
