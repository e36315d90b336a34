import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

// `spectrometer types` and createApi<Operations>(): the generated petstore types are kept once,
// as examples/petstore/api-types.ts (the example is typed with them; checked fresh here), and two
// fixtures are compiled against them: one must compile, the other marks each mistake that must
// not with @ts-expect-error (npm test's typecheck compiles both too). The built CLI runs the
// generator: openapi-typescript is an ES module graph that jest's module system cannot load.

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURES = join(__dirname, 'fixtures', 'typed-handlers');
const PETSTORE_TYPES = join(ROOT, 'examples', 'petstore', 'api-types.ts');
const MARKER = /^\s*\/\/ @ts-expect-error (.*)$/;

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

function compile(files: string[]): readonly ts.Diagnostic[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => undefined,
    },
  ) as ts.ParsedCommandLine;
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  return ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.includes(d.file.fileName));
}

const describeAll = (diagnostics: readonly ts.Diagnostic[]): string[] =>
  diagnostics.map((d) => {
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${d.file!.fileName}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });

describe('spectrometer types', () => {
  it('writes the types the petstore example is typed with', () => {
    const result = cli('types', 'specs/petstore.yaml');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    // On failure: npx spectrometer types specs/petstore.yaml -o examples/petstore/api-types.ts
    expect(result.stdout).toBe(readFileSync(PETSTORE_TYPES, 'utf8'));
    expect(result.stdout).toMatch(/^export interface Operations \{\n {2}"listPets": /m);
  });

  it('writes into the file -o names, and says so', () => {
    const folder = mkdtempSync(join(tmpdir(), 'spectrometer-types-'));
    try {
      const file = join(folder, 'api-types.ts');
      const result = cli(
        'types',
        'test/fixtures/derived-operation-ids/openapi.yaml',
        `--output=${file}`,
      );
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/api-types\.ts: Operations for \d+ operation\(s\)\n$/);
      // Operations without an operationId are typed under the id createApi derives for them.
      expect(readFileSync(file, 'utf8')).toMatch(
        /"getPetsById": OperationTypesOf<operations\["getPetsById"\]>/,
      );
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('exits 1 with every problem of an invalid spec, writing nothing', () => {
    const result = cli('types', 'test/fixtures/lint-every-problem-at-once/openapi.yaml');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/problem\(s\) in the OpenAPI document\n$/);
    expect(result.stdout).not.toContain('export interface');
  });

  it('exits 2 on a usage mistake', () => {
    const result = cli('types', 'specs/petstore.yaml', '--out', 'x.ts');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^types: unknown option --out\nusage: spectrometer types <spec>/);
  });
});

describe('createApi<Operations>()', () => {
  const mustCompile = join(FIXTURES, 'must-compile.ts');
  const mustNotCompile = join(FIXTURES, 'must-not-compile.ts');

  it('compiles typed handlers that keep to the spec, and untyped ones as before', () => {
    expect(describeAll(compile([mustCompile, mustNotCompile]))).toEqual([]);
  }, 60_000);

  it('refuses every marked mistake once its @ts-expect-error is taken away', () => {
    const lines = readFileSync(mustNotCompile, 'utf8').split('\n');
    const marked = lines.flatMap((line, i) => (MARKER.test(line) ? [i + 1] : []));
    expect(marked.length).toBeGreaterThanOrEqual(8);
    // Each marker becomes a blank line, so every line keeps its number.
    const stripped = join(FIXTURES, '.must-not-compile.stripped.ts');
    writeFileSync(stripped, lines.map((line) => (MARKER.test(line) ? '' : line)).join('\n'));
    try {
      const failing = new Set(
        compile([stripped]).map((d) => d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line),
      );
      // The mistake is on the line after its marker (0-based: the marker's own 1-based number).
      const missed = marked.filter((line) => !failing.has(line));
      expect(missed.map((line) => `${line}: ${lines[line - 1]?.trim()}`)).toEqual([]);
    } finally {
      rmSync(stripped, { force: true });
    }
  }, 60_000);
});
