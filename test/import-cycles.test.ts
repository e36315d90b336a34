import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// Every relative import of src/, `import type` and `export … from` included: a type-only cycle
// still ties two modules together (neither can be read or moved without the other).
const SRC = resolve(__dirname, '../src');

type Sources = ReadonlyMap<string, string>;

function readSources(dir: string, into = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readSources(path, into);
    else if (entry.name.endsWith('.ts')) into.set(path, readFileSync(path, 'utf8'));
  }
  return into;
}

function importsOf(file: string, sources: Sources): string[] {
  const { importedFiles } = ts.preProcessFile(sources.get(file) ?? '', true, true);
  return importedFiles.flatMap(({ fileName }) => {
    if (!fileName.startsWith('.')) return [];
    const base = resolve(dirname(file), fileName);
    const found = [`${base}.ts`, join(base, 'index.ts')].find((path) => sources.has(path));
    return found ? [found] : [];
  });
}

/** Each cycle once, as the files it runs through, starting from its smallest path. */
function findCycles(sources: Sources): string[][] {
  const graph = new Map([...sources.keys()].map((file) => [file, importsOf(file, sources)]));
  const cycles = new Map<string, string[]>();
  const done = new Set<string>();
  const visit = (file: string, stack: string[]): void => {
    const at = stack.indexOf(file);
    if (at >= 0) {
      const cycle = stack.slice(at);
      const start = cycle.indexOf([...cycle].sort()[0] as string);
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
      cycles.set(rotated.join(' '), rotated);
      return;
    }
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) visit(next, [...stack, file]);
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) visit(file, []);
  return [...cycles.values()];
}

const show = (cycle: string[]) =>
  [...cycle, cycle[0] as string].map((file) => relative(SRC, file)).join(' → ');

describe('import cycles', () => {
  it('leaves none in src/, type-only imports included', () => {
    expect(findCycles(readSources(SRC)).map(show)).toEqual([]);
  });

  it('reports a cycle made of type-only imports and re-exports', () => {
    const sources = new Map([
      [join(SRC, 'a.ts'), "import type { B } from './b';\nexport type A = B;"],
      [join(SRC, 'b/index.ts'), "export type { C as B } from '../c';"],
      [join(SRC, 'c.ts'), "import { type A } from './a';\nexport type C = A | 1;"],
      [join(SRC, 'd.ts'), "import type { A } from './a';"],
    ]);
    expect(findCycles(sources).map(show)).toEqual(['a.ts → b/index.ts → c.ts → a.ts']);
  });
});
