import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

// Every JS/TS code block of the README runs as pasted, against the built package (dist/) and the
// repository's specs, or is marked as a fragment: `<!-- snippet: fragment -->` on the line before
// the block, whose first line is a comment saying what it needs. Fragments must still parse.
// TypeScript blocks that run are type-checked too (strict), against dist/'s types and, for
// `./api-types`, the petstore's generated types (examples/petstore/api-types.ts).

const ROOT = join(__dirname, '..');
const PETSTORE_TYPES = join(ROOT, 'examples', 'petstore', 'api-types.ts');
const RUNNER = join(__dirname, 'helpers', 'run-snippet.cjs');
const FRAGMENT = '<!-- snippet: fragment -->';
const LANGUAGES = new Set(['js', 'javascript', 'ts', 'typescript']);

interface Snippet {
  /** 1-based line of the opening fence. */
  line: number;
  typescript: boolean;
  code: string;
  fragment: boolean;
}

function readSnippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (!fence) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) throw new Error(`README.md:${i + 1}: a code block is never closed`);
    const language = fence[1] as string;
    if (LANGUAGES.has(language)) {
      snippets.push({
        line: i + 1,
        typescript: language.startsWith('t'),
        code: lines.slice(i + 1, end).join('\n'),
        fragment: lines[i - 1]?.trim() === FRAGMENT,
      });
    }
    i = end;
  }
  return snippets;
}

/** The file a snippet runs as: CommonJS when it calls `require`, else ESM; TS transpiled. */
function toModule(snippet: Snippet): { extension: '.mjs' | '.cjs'; source: string } {
  if (!snippet.typescript) {
    return { extension: /\brequire\(/.test(snippet.code) ? '.cjs' : '.mjs', source: snippet.code };
  }
  const output = ts.transpileModule(snippet.code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    reportDiagnostics: true,
  });
  const problems = (output.diagnostics ?? []).map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
  if (problems.length) throw new Error(`README.md:${snippet.line}: ${problems.join('; ')}`);
  return { extension: '.mjs', source: output.outputText };
}

/** Builds dist/ when it is missing or older than src/ (`npm test` builds before jest). */
function ensureBuilt(): void {
  const built = join(ROOT, 'dist', 'index.mjs');
  const newest = (dir: string): number =>
    Math.max(
      ...readdirSync(dir, { withFileTypes: true }).map((entry) =>
        entry.isDirectory()
          ? newest(join(dir, entry.name))
          : statSync(join(dir, entry.name)).mtimeMs,
      ),
    );
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(ROOT, 'src'))) return;
  try {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed, so the snippets cannot run:\n${stdout}${stderr}`);
  }
}

/**
 * A folder where `spectrometer` is the repository (its exports point at dist/) and its deps
 * resolve, with the petstore's `api-types.ts` as a reader's `spectrometer types` would write it.
 */
function makeSandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'readme-snippets-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (!name.startsWith('.')) symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  symlinkSync(ROOT, join(modules, 'spectrometer'));
  copyFileSync(PETSTORE_TYPES, join(dir, 'api-types.ts'));
  return dir;
}

/** The type errors of each TypeScript snippet, by line, compiled as one strict program. */
function typeCheck(typescript: Snippet[]): Map<number, string[]> {
  const files = new Map(typescript.map((s) => [join(sandbox, `readme-${s.line}.ts`), s.line]));
  for (const [file, line] of files) {
    writeFileSync(file, typescript.find((s) => s.line === line)!.code);
  }
  const program = ts.createProgram([...files.keys()], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: ['node'],
  });
  const errors = new Map([...files.values()].map((line) => [line, [] as string[]]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const snippet = d.file && files.get(d.file.fileName);
    if (snippet === undefined) continue;
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    errors.get(snippet)!.push(`README.md:${snippet + 1 + line}: ${message}`);
  }
  return errors;
}

const snippets = readSnippets(readFileSync(join(ROOT, 'README.md'), 'utf8'));
const runnable = snippets.filter((s) => !s.fragment);
const fragments = snippets.filter((s) => s.fragment);
const typescript = runnable.filter((s) => s.typescript);
let sandbox = '';
let typeErrors: Map<number, string[]> | undefined;

beforeAll(() => {
  ensureBuilt();
  sandbox = makeSandbox();
}, 180_000);

afterAll(() => {
  if (sandbox) rmSync(sandbox, { recursive: true, force: true });
});

function writeSnippet(snippet: Snippet): string {
  const { extension, source } = toModule(snippet);
  const file = join(sandbox, `readme-${snippet.line}${extension}`);
  writeFileSync(file, source);
  return file;
}

describe('README snippets', () => {
  it('finds the JS/TS blocks, runnable ones among them', () => {
    expect(runnable.length).toBeGreaterThan(3);
    expect(fragments.length).toBeGreaterThan(0);
  });

  it.each(runnable.map((s) => [s.line, s] as const))(
    'runs the block at README.md:%d as pasted',
    (_line, snippet) => {
      const result = spawnSync(process.execPath, [RUNNER, writeSnippet(snippet)], {
        cwd: ROOT, // the snippets name specs/… relative to the repository
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, NODE_ENV: 'test' },
      });
      expect({ status: result.status, stderr: result.stderr }).toEqual({
        status: 0,
        stderr: expect.any(String),
      });
    },
    40_000,
  );

  it.each(typescript.map((s) => [s.line] as const))(
    'type-checks the TypeScript block at README.md:%d',
    (line) => {
      typeErrors ??= typeCheck(typescript);
      expect(typeErrors.get(line)).toEqual([]);
    },
    60_000,
  );

  it.each(fragments.map((s) => [s.line, s] as const))(
    'says what the fragment at README.md:%d needs, and parses',
    (_line, snippet) => {
      expect(snippet.code.split('\n')[0]).toMatch(/^\/\/ \S/);
      const result = spawnSync(process.execPath, ['--check', writeSnippet(snippet)], {
        encoding: 'utf8',
      });
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    },
  );
});
