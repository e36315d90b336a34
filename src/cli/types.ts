import { writeFileSync } from 'node:fs';
import { readCommandLine } from './command-args';
import { loadOrReport } from './lint';
import { generateOperationTypes } from './operation-types';

/**
 * `spectrometer types <spec> [-o file.ts]`: TypeScript types for the spec (openapi-typescript's,
 * plus `Operations` for `createApi<Operations>()`), on stdout or into the file. A spec with
 * problems exits 1 with every problem, writing nothing.
 * @example
 * await types(['specs/petstore.yaml', '-o', 'src/api-types.ts']) // 0
 */
export async function types(args: string[]): Promise<number> {
  const line = readCommandLine('types', args);
  if (!line) return 2;
  const { spec: file, options } = line;
  const loaded = await loadOrReport(file, {
    allowExternalRefs: options['allow-external-refs'] === true,
  });
  if (!loaded) return 1;
  const text = await generateOperationTypes(loaded);
  const output = typeof options.output === 'string' ? options.output : undefined;
  if (!output) {
    process.stdout.write(text);
    return 0;
  }
  writeFileSync(output, text);
  console.log(`${output}: Operations for ${loaded.operations.length} operation(s)`);
  return 0;
}
