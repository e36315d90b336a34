import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bootApi } from '../src/cli/boot-api';
import { runCli } from '../src/cli/run';
import { parseServeArgs } from '../src/cli/serve-args';

const SWAGGER = 'test/fixtures/swagger-2/openapi.yaml';
const SWAGGER_INVALID = 'test/fixtures/swagger-2-invalid/openapi.yaml';
const OUTSIDE = 'test/fixtures/ref-outside-folder/spec/openapi.yaml';
const CLI = join(__dirname, '..', 'dist', 'cli.js');

// Runs the CLI in-process and captures what it prints.
async function run(argv: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const log = jest
    .spyOn(console, 'log')
    .mockImplementation((...args) => void out.push(args.join(' ')));
  try {
    return { code: await runCli(argv), out: out.join('\n').split('\n') };
  } finally {
    log.mockRestore();
  }
}

describe('spectrometer lint on specs as they are found', () => {
  it('lints a Swagger 2.0 spec, saying it was converted', async () => {
    expect(await run(['lint', SWAGGER])).toEqual({
      code: 0,
      out: [
        'warning: #/swagger',
        '  converted from Swagger 2.0 with swagger2openapi',
        expect.stringMatching(/^test\/fixtures\/swagger-2\/openapi.yaml: OK \(3 operations, /),
      ],
    });
  });

  it('points the problems of a Swagger 2.0 spec into the Swagger document', async () => {
    const { code, out } = await run(['lint', SWAGGER_INVALID]);
    expect(code).toBe(1);
    // The document's problems, shared definitions checked once where they are defined.
    expect(out.filter((line) => line.startsWith('#')).slice(0, 4)).toEqual([
      '#/paths/~1pets/get/parameters/0',
      '#/paths/~1pets/post/parameters/1/minimum',
      '#/paths/~1pets/post/parameters/0/schema/properties/name/type',
      '#/definitions/Pet/properties/name/type',
    ]);
  });

  it('refuses a $ref out of the spec folder unless --allow-external-refs', async () => {
    const refused = await run(['lint', OUTSIDE]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(
      "  fix: move the file under the spec's folder, or set allowExternalRefs: true",
    );
    expect(await run(['lint', OUTSIDE, '--allow-external-refs'])).toEqual({
      code: 0,
      out: [expect.stringMatching(/^test\/fixtures\/ref-outside-folder\/spec\/openapi.yaml: OK /)],
    });
  });

  // The built CLI (npm run build): swagger2openapi is found from dist too.
  it('lints a Swagger 2.0 spec with the built CLI', () => {
    const result = spawnSync(process.execPath, [CLI, 'lint', SWAGGER], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.stdout).toContain(`${SWAGGER}: OK (3 operations, `);
    expect(result.status).toBe(0);
  });
});

describe('spectrometer serve --allow-external-refs', () => {
  it('is off unless given', () => {
    expect(parseServeArgs([SWAGGER]).allowExternalRefs).toBe(false);
    expect(parseServeArgs([SWAGGER, '--allow-external-refs']).allowExternalRefs).toBe(true);
  });

  it('lets the API boot with a $ref out of the spec folder', async () => {
    const args = parseServeArgs([OUTSIDE, '--mock']);
    await expect(bootApi(args)).rejects.toMatchObject({ code: 'SPM_SPEC_INVALID' });
    const api = await bootApi({ ...args, allowExternalRefs: true });
    expect(api.operations.map((op) => op.operationId)).toEqual(['getPet']);
  });
});
