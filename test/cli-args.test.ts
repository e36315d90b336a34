import request from 'supertest';
import { parseCommandLine } from '../src/cli/command-args';
import { runCli } from '../src/cli/run';
import { serve } from '../src/cli/serve';
import { parseServeArgs } from '../src/cli/serve-args';
import type { LintJson } from '../src/cli/lint-json';
import { SpectrometerError } from '../src/errors';

const PETSTORE = 'specs/petstore.yaml';

// Runs the CLI in-process and captures what it prints.
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = jest
    .spyOn(console, 'error')
    .mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    return { code: await runCli(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

function usageMessage(argv: string[]): string {
  try {
    parseServeArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(SpectrometerError);
    expect((error as SpectrometerError).code).toBe('SPM_CLI_USAGE');
    return (error as SpectrometerError).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

describe('command lines', () => {
  it.each([
    [['--port', '9000']],
    [['--port=9000']],
    [['-p', '9000']],
    [['-p9000']],
    [['--port', '1', '--port=9000']],
  ])('reads serve %j as port 9000', (flags) => {
    expect(parseServeArgs([PETSTORE, ...flags]).port).toBe(9000);
  });

  it('reads every serve option in its long, = and short forms', () => {
    const long = parseServeArgs([
      PETSTORE,
      '--handlers=h.js',
      '--mock',
      '--host=0.0.0.0',
      '--workers=2',
      '--handler-timeout=0',
      '--metrics-token-env=TOKEN',
      '--allow-external-refs',
    ]);
    expect(long).toEqual({
      spec: PETSTORE,
      handlers: 'h.js',
      mock: true,
      port: 8080,
      host: '0.0.0.0',
      workers: 2,
      allowExternalRefs: true,
      handlerTimeoutMs: 0,
      metricsTokenEnv: 'TOKEN',
      docs: true,
    });
    expect(parseServeArgs([PETSTORE, '--no-docs']).docs).toBe(false);
    const short = parseServeArgs(['-m', '-H', '0.0.0.0', '-w', '2', PETSTORE]);
    expect(short).toMatchObject({ mock: true, host: '0.0.0.0', workers: 2, spec: PETSTORE });
  });

  it('takes what follows -- as arguments', () => {
    expect(parseCommandLine('lint', ['--strict', '--', '--odd-name.yaml'])).toEqual({
      spec: '--odd-name.yaml',
      options: { strict: true },
    });
  });

  it.each([
    [['--verbose'], 'serve: unknown option --verbose'],
    [['-x'], 'serve: unknown option -x'],
    [['--port'], 'serve: --port needs a value'],
    [['--mock=yes'], 'serve: --mock takes no value'],
    [['--port=x'], 'serve: --port must be 0-65535, got x'],
    [['--port', '70000'], 'serve: --port must be 0-65535, got 70000'],
    [['other.yaml'], 'serve: unexpected argument other.yaml'],
  ])('refuses serve %j with the usage', (flags, first) => {
    const [line, usage] = usageMessage([PETSTORE, ...flags]).split('\n');
    expect(line).toBe(first);
    expect(usage).toMatch(/^usage: spectrometer serve <spec> \[--handlers <module>\] \[--mock\]/);
  });

  it('refuses a missing spec', () => {
    expect(usageMessage(['--mock']).split('\n')[0]).toBe('serve: the spec is missing');
  });

  it('keeps a dash-led value for the option to judge', () => {
    expect(usageMessage([PETSTORE, '--handler-timeout', '-1'])).toMatch(
      /^serve: --handler-timeout must be milliseconds from 0 \(no limit\) to \d+, got -1\n/,
    );
  });

  it('serves on the port given as --port=0 and -p 0', async () => {
    for (const flags of [['--port=0'], ['-p', '0']]) {
      const lines: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation((l: string) => void lines.push(l));
      try {
        const exit = serve([PETSTORE, '--mock', ...flags]);
        while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
        const origin = /on (http:\/\/127\.0\.0\.1:\d+)\/v1$/.exec(lines[0] as string)?.[1];
        expect(origin).toBeDefined();
        await request(origin as string)
          .get('/v1/pets')
          .expect(200);
        process.emit('SIGTERM');
        await expect(exit).resolves.toBe(0);
      } finally {
        log.mockRestore();
      }
    }
  });

  it('exits 2 with the usage for lint and metrics mistakes', async () => {
    expect(await run(['lint', PETSTORE, '--fix'])).toEqual({
      code: 2,
      out: '',
      err: 'lint: unknown option --fix\nusage: spectrometer lint <spec> [--strict] [--json] [--allow-external-refs] [--help]',
    });
    expect((await run(['metrics', PETSTORE, '--json=1'])).err).toMatch(
      /^metrics: --json takes no value\nusage: spectrometer metrics <spec> \[--json\] \[--help\]$/,
    );
    expect((await run(['metrics'])).code).toBe(2);
  });
});

describe('spectrometer lint --json', () => {
  const lintJson = async (argv: string[]): Promise<{ code: number; report: LintJson }> => {
    const { code, out, err } = await run(['lint', '--json', ...argv]);
    expect(err).toBe('');
    return { code, report: JSON.parse(out) as LintJson };
  };

  it('prints ok, the counts and no problems for a valid spec', async () => {
    const { code, report } = await lintJson([PETSTORE]);
    expect(code).toBe(0);
    expect(report).toMatchObject({ spec: PETSTORE, ok: true, problems: [], warnings: [] });
    expect(report.operations).toBeGreaterThan(0);
  });

  it('prints every problem with the check that found it and its pointer, and exits 1', async () => {
    const spec = 'test/fixtures/x-metrics-buckets-not-ascending/openapi.yaml';
    const { code, report } = await lintJson([spec]);
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        in: 'x-metrics',
        pointer: '#/paths/~1pets/post/x-metrics/metrics/0/buckets',
        operationId: 'createPet',
        method: 'POST',
        path: '/pets',
        message: expect.stringContaining('"buckets" must be ascending, got [1, 0.5]'),
        hint: 'write [0.5, 1]',
      }),
    ]);
  });

  it('prints warnings with their pointers; --strict turns derived ids into problems', async () => {
    const spec = 'test/fixtures/derived-operation-ids/openapi.yaml';
    const relaxed = await lintJson([spec]);
    expect(relaxed.code).toBe(0);
    expect(relaxed.report.warnings.length).toBeGreaterThan(0);
    const strict = await lintJson([spec, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.report.problems[0]).toMatchObject({ in: 'operations' });
    expect(strict.report.problems[0]?.pointer).toMatch(/^#\/paths\//);
  });

  it('prints an unreadable spec as one document problem, exit 1', async () => {
    const { code, report } = await lintJson(['test/fixtures/nothing-here.yaml']);
    expect(code).toBe(1);
    expect(report).toMatchObject({ ok: false, warnings: [] });
    expect(report.problems).toEqual([
      { in: 'document', message: expect.stringContaining('cannot read OpenAPI document') },
    ]);
  });
});
