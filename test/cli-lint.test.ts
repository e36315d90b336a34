import { runCli } from '../src/cli/run';

// lint runs every check a boot runs, schema compilation included, and reports every problem in
// one round: a spec that lint passes boots, and fixing lint's list never uncovers a second one.
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

describe('spectrometer lint', () => {
  it('reports path, operationId, schema and x-metrics problems in one round', async () => {
    const file = 'test/fixtures/lint-every-problem-at-once/openapi.yaml';
    const { code, out } = await lint(file);
    expect(code).toBe(1);
    expect(out).toContain('GET /items/{name} (operationId getItemByName) could never be reached');
    expect(out).toContain(
      '#/paths/~1codes/post/requestBody/content/application~1json (POST /codes, operationId createCode)',
    );
    expect(out).toContain('the request schemas for application/json cannot be compiled');
    expect(out).toContain('operationId "getItem" is already used by GET /items/{id}');
    expect(out).toContain('#/paths/~1codes/post/x-metrics/metrics/0');
    expect(out.split('\n').pop()).toMatch(
      /problem\(s\) in the OpenAPI document, .*in the operations, .*in the schemas/,
    );
  });

  it('passes the shipped specs, which serve then boots', async () => {
    for (const file of ['specs/petstore.yaml']) {
      const { code, out } = await lint(file);
      expect({ file, code, out }).toEqual({
        file,
        code: 0,
        out: expect.stringContaining(`${file}: OK`),
      });
    }
  });
});
