import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { getLevelValidator, SCHEMA_FILE } from '../../src/x-metrics/load-schema';

const schema = JSON.parse(readFileSync('schema/x-metrics.schema.json', 'utf8')) as object;

describe('schema/x-metrics.schema.json', () => {
  it('is a valid draft-07 JSON Schema', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(ajv.errors).toBeNull();
  });

  it('is the file the validator reads', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(
      readFileSync('schema/x-metrics.schema.json', 'utf8'),
    );
  });

  it('accepts the every-feature spec as a whole document (editor use)', () => {
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);
    const document = parse(
      readFileSync('test/fixtures/x-metrics-every-feature/openapi.yaml', 'utf8'),
    );
    expect(validate(document)).toBe(true);
  });

  it('rejects an unknown key inside an operation of a whole document', () => {
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);
    const document = { paths: { '/a': { get: { 'x-metrics': { tracks: false } } } } };
    expect(validate(document)).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      instancePath: '/paths/~1a/get/x-metrics',
      params: { additionalProperty: 'tracks' },
    });
  });

  it.each([
    ['document', { prefix: '', groupBy: 'route', latency: 'summary', excludedPaths: '^/x' }],
    ['pathItem', { track: false, exclude: false, metrics: [] }],
    [
      'operation',
      { metrics: [{ name: 'a_total', type: 'counter', help: 'A.', labels: { a: { fn: 'f' } } }] },
    ],
  ] as const)('accepts a valid %s level', (level, value) => {
    expect(getLevelValidator(level)(value)).toBe(true);
  });

  it.each([
    ['document', { track: false }],
    ['operation', { prefix: 'x' }],
    ['operation', { metrics: [{ name: 'a', type: 'gauge', help: 'A.', ageBuckets: 2 }] }],
    ['operation', { metrics: [{ name: 'a', type: 'summary', help: 'A.', buckets: [1] }] }],
    [
      'operation',
      {
        metrics: [{ name: 'a', type: 'counter', help: 'A.', labels: { x: { value: 1, fn: 'f' } } }],
      },
    ],
  ] as const)('rejects an invalid %s level: %j', (level, value) => {
    expect(getLevelValidator(level)(value)).toBe(false);
  });
});
