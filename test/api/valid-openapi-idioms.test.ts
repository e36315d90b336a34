import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import request from 'supertest';
import { parse } from 'yaml';
import { createApi } from '../../src';
import { runCli } from '../../src/cli/run';

// Valid OpenAPI that public specs use and ajv alone refuses: each fixture passes lint, boots with
// response validation on, and answers its `x-request` (mock answers are checked too).
const IDIOMS = [
  'idiom-nullable-without-type',
  'idiom-ecma-pattern',
  'idiom-example-ids',
  'idiom-31-without-responses',
  'idiom-header-cookie-arrays',
  'idiom-unknown-format',
];

interface FixtureRequest {
  method: 'get' | 'post';
  path: string;
  body?: object;
  headers?: Record<string, string>;
}

async function lint(file: string): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const log = jest
    .spyOn(console, 'log')
    .mockImplementation((...args) => void out.push(args.join(' ')));
  try {
    return { code: await runCli(['lint', file]), out: out.join('\n') };
  } finally {
    log.mockRestore();
  }
}

describe.each(IDIOMS)('%s', (name) => {
  const file = `test/fixtures/${name}/openapi.yaml`;
  const { 'x-request': wanted } = parse(readFileSync(file, 'utf8')) as {
    'x-request': FixtureRequest;
  };

  it('passes lint', async () => {
    const { code, out } = await lint(file);
    expect({ code, out }).toEqual({ code: 0, out: expect.stringContaining(`${file}: OK`) });
  });

  it('boots and answers with response validation on', async () => {
    const api = await createApi({
      spec: file,
      missingHandler: 'mock',
      validation: { responses: true },
      logger: { warn: () => undefined },
      metrics: { registry: new Registry(), processMetrics: false },
    });
    let call = request(api.app)[wanted.method](wanted.path);
    for (const [header, value] of Object.entries(wanted.headers ?? {}))
      call = call.set(header, value);
    const res = await (wanted.body ? call.send(wanted.body) : call);
    expect({ status: res.status < 300, detail: res.body?.detail }).toEqual({
      status: true,
      detail: undefined,
    });
  });
});

it('warns once per unknown format, at boot and in lint', async () => {
  const file = 'test/fixtures/idiom-unknown-format/openapi.yaml';
  const warn = jest.fn();
  const api = await createApi({
    spec: file,
    missingHandler: 'mock',
    logger: { warn },
    metrics: { registry: new Registry(), processMetrics: false },
  });
  expect(api.warnings.filter((w) => w.message.includes('repo.nwo'))).toHaveLength(1);
  expect(warn.mock.calls.filter(([line]) => String(line).includes('repo.nwo'))).toHaveLength(1);
  const { out } = await lint(file);
  expect(out.match(/format "repo\.nwo"/g)).toHaveLength(1);
});
