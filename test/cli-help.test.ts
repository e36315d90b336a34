import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../src/cli/run';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;

// Runs the CLI in-process and captures what it prints.
async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  try {
    return { code: await runCli(argv), out: out.join('\n') };
  } finally {
    log.mockRestore();
  }
}

/** The `--help` lines of one option: its flag and text, then its default when it has one. */
function optionLines(out: string, flag: string): string[] {
  const lines = out.split('\n');
  const at = lines.findIndex((line) => line.startsWith(`  ${flag} `));
  if (at < 0) throw new Error(`${flag} is not in the help:\n${out}`);
  const next = lines[at + 1] ?? '';
  return /^\s+default: /.test(next) ? [lines[at] as string, next.trim()] : [lines[at] as string];
}

describe('spectrometer --version', () => {
  it.each(['--version', '-v'])('prints the version for %s and exits 0', async (flag) => {
    expect(await run([flag])).toEqual({ code: 0, out: PACKAGE_VERSION });
  });

  it('prints it from the built command line', () => {
    const result = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${PACKAGE_VERSION}\n`);
  });
});

describe('spectrometer <command> --help', () => {
  it.each([
    [
      '--handlers <module>',
      'default: none (every operation answers 501, or from the spec with --mock)',
    ],
    [
      '-m, --mock',
      'default: off (with --handlers, an operation without a handler is a boot error)',
    ],
    ['-p, --port <port>', 'default: 8080'],
    ['-H, --host <host>', 'default: 127.0.0.1'],
    ['-w, --workers <N>', 'default: one process, no cluster'],
    ['--allow-external-refs', "default: off (they must stay inside the spec's folder tree)"],
  ])('lists serve %s with its default', async (flag, fallback) => {
    const { code, out } = await run(['serve', '--help']);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe('usage: spectrometer serve <spec> [options]');
    expect(optionLines(out, flag)[1]).toBe(fallback);
  });

  it('lists lint --strict and --allow-external-refs with their defaults', async () => {
    const { code, out } = await run(['lint', 'specs/petstore.yaml', '--help']);
    expect(code).toBe(0);
    expect(optionLines(out, '--strict')).toEqual([
      expect.stringMatching(
        /--strict {2,}derived operationIds .* and x-metrics labels taken raw from the client are errors$/,
      ),
      'default: off (warnings are printed and do not fail the lint)',
    ]);
    expect(optionLines(out, '--allow-external-refs')[0]).toMatch(
      /file \$refs may leave the spec's folder$/,
    );
  });

  it('lists metrics --json with its default', async () => {
    const { code, out } = await run(['metrics', '-h']);
    expect(code).toBe(0);
    expect(optionLines(out, '--json')).toEqual([
      '  --json      print JSON, with help, origin and declaredAt',
      'default: a table',
    ]);
    expect(optionLines(out, '-h, --help')).toEqual(['  -h, --help  print this help']);
  });

  it.each(['serve', 'lint', 'metrics'])(
    'exits 0 with the help of %s from the built command line, before reading any spec',
    (command) => {
      const result = spawnSync(process.execPath, [CLI, command, 'missing.yaml', '--help'], {
        encoding: 'utf8',
        timeout: 15_000,
      });
      expect(result.status).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(
        new RegExp(`^usage: spectrometer ${command} <spec> \\[options\\]\n`),
      );
    },
  );

  it('names --help and --version in the top-level usage', async () => {
    const { code, out } = await run(['--help']);
    expect(code).toBe(0);
    expect(out.split('\n').slice(-2)).toEqual([
      "  spectrometer <command> --help     a command's options and their defaults",
      '  spectrometer --version',
    ]);
  });
});
