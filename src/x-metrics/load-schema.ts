import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';

/** The `$id` of `schema/x-metrics.schema.json`. */
export const SCHEMA_ID = 'urn:spectrometer:x-metrics';

/** Path of the shipped schema file (same relative place from `src/` and from `dist/`). */
export const SCHEMA_FILE = join(__dirname, '..', '..', 'schema', 'x-metrics.schema.json');

/** The three places `x-metrics` may appear. */
export type XMetricsLevel = 'document' | 'pathItem' | 'operation';

const DEFINITIONS: Record<XMetricsLevel, string> = {
  document: 'documentLevel',
  pathItem: 'pathItemLevel',
  operation: 'operationLevel',
};

let ajv: Ajv | undefined;

/**
 * The compiled validator of one level (the schema is read and compiled on first use).
 * @example
 * const validate = getLevelValidator('operation'); validate({ track: false }) // true
 */
export function getLevelValidator(level: XMetricsLevel): ValidateFunction {
  if (!ajv) {
    // Loaded on first use: importing spectrometer for PrometheusMetrics alone never pays for ajv.
    const AjvClass = (require('ajv') as { default: typeof Ajv }).default;
    ajv = new AjvClass({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    ajv.addSchema(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
  }
  const validate = ajv.getSchema(`${SCHEMA_ID}#/definitions/${DEFINITIONS[level]}`);
  if (!validate) throw new Error(`x-metrics schema has no definition for ${level}`);
  return validate;
}
