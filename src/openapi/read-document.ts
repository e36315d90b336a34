import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
// yaml is loaded on first use, so importing spectrometer for PrometheusMetrics alone stays light.
const loadYaml = (): typeof import('yaml') => require('yaml') as typeof import('yaml');
import { SpectrometerError } from '../errors';

/**
 * Reads one YAML or JSON file into a plain object. JSON is tried first for `.json` files,
 * YAML (a superset of JSON) for everything else.
 * @example
 * const doc = await readDocument('specs/petstore.yaml');
 */
export async function readDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SpectrometerError(
      'SPM_SPEC_LOAD',
      `cannot read OpenAPI document ${file}: ${(error as Error).message}`,
    );
  }
  return parseDocument(text, file);
}

/** Parses YAML or JSON text; `file` is only used in error messages and to pick the parser. */
export function parseDocument(text: string, file: string): unknown {
  try {
    if (extname(file).toLowerCase() === '.json') return JSON.parse(text) as unknown;
    return loadYaml().parse(text, { prettyErrors: true }) as unknown;
  } catch (error) {
    const where =
      error instanceof loadYaml().YAMLParseError && error.linePos
        ? `:${error.linePos[0].line}:${error.linePos[0].col}`
        : '';
    const reason = (error as Error).message.split('\n')[0];
    throw new SpectrometerError('SPM_SPEC_LOAD', `cannot parse ${file}${where}: ${reason}`);
  }
}
