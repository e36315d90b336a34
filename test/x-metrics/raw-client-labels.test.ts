import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { parse } from 'yaml';
import { createApi } from '../../src';
import { runCli } from '../../src/cli/run';
import { compileXMetrics } from '../../src/x-metrics';
import { sampleValue } from '../helpers/exposition';

// DESIGN §9: a label taken raw from what the client sends is a lint warning naming its pointer
// and the bounded form; `lint --strict` fails on it; boots never do.

const ROOT = join(__dirname, '..', '..');
const FIXTURE = 'test/fixtures/x-metrics-raw-client-labels/openapi.yaml';
const document = parse(readFileSync(join(ROOT, FIXTURE), 'utf8')) as object;
const AT = '#/paths/~1items~1{id}/post/x-metrics/metrics/0/labels';

async function lint(...args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const log = jest
    .spyOn(console, 'log')
    .mockImplementation((...line) => void out.push(line.join(' ')));
  try {
    return { code: await runCli(['lint', ...args]), out: out.join('\n') };
  } finally {
    log.mockRestore();
  }
}

describe('labels taken raw from the client', () => {
  it('are reported for path, query, header, cookie and request.body sources without values, each with its pointer and bounded form', () => {
    const { problems, warnings, unboundedLabels } = compileXMetrics(document);
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    expect(unboundedLabels.map((label) => label.pointer)).toEqual([
      '#/x-metrics/defaultLabels/tenant',
      `${AT}/id`,
      `${AT}/plan`,
      `${AT}/session`,
      `${AT}/color`,
    ]);
    expect(unboundedLabels[2]).toEqual({
      message: `x-metrics at #/paths/~1items~1{id}/post/x-metrics/metrics/0: label "plan" takes query.plan raw from the request: every value a client sends becomes a series of its own (up to maxSeries, then "__overflow__")`,
      pointer: `${AT}/plan`,
      operationId: 'createItem',
      method: 'POST',
      path: '/items/{id}',
      hint: 'bound it to the values you expect: plan: { from: query.plan, values: [a, b], other: other }',
    });
    expect(unboundedLabels[0]?.hint).toBe(
      'bound it to the values you expect: tenant: { from: header.x-tenant, values: [a, b], other: other }',
    );
  });

  it('are lint warnings (exit 0), and errors with --strict (exit 1)', async () => {
    const loose = await lint(FIXTURE);
    expect(loose.code).toBe(0);
    expect(loose.out).toContain(
      `warning: ${AT}/session (POST /items/{id}, operationId createItem)`,
    );
    expect(loose.out.split('\n').pop()).toBe(
      `${FIXTURE}: OK (1 operations, 1 x-metrics metrics, 5 warning(s))`,
    );
    const strict = await lint(FIXTURE, '--strict');
    expect(strict.code).toBe(1);
    expect(strict.out).not.toContain('warning:');
    expect(strict.out).toContain(`${AT}/color (POST /items/{id}, operationId createItem)`);
    expect(strict.out).toContain(
      '  fix: bound it to the values you expect: color: { from: request.body.color, values: [a, b], other: other }',
    );
    expect(strict.out.split('\n').pop()).toBe(`${FIXTURE}: 5 problem(s) in x-metrics`);
  });

  it('never stop a boot, which records them as they come', async () => {
    const registry = new Registry();
    const logger = { warn: jest.fn() };
    const api = await createApi({
      spec: join(ROOT, FIXTURE),
      handlers: { createItem: () => ({ kind: 'tool' }) },
      metrics: { registry, processMetrics: false },
      logger,
    });
    await request(api.app)
      .post('/items/7?plan=pro')
      .set('x-tenant', 'acme')
      .send({ color: 'red' })
      .expect(201);
    const text = await registry.metrics();
    expect(
      sampleValue(text, 'items_created_total', {
        id: '7',
        plan: 'pro',
        session: '',
        color: 'red',
        bounded_plan: 'pro',
        status: '201',
        kind: 'tool',
        served_by: '',
        method: 'POST',
        operation: 'createItem',
        route: '/items/{id}',
        store: 'main',
        tenant: 'acme',
        region: 'other',
      }),
    ).toBe(1);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('are absent from the shipped specs, which lint --strict passes', async () => {
    const specs = readdirSync(join(ROOT, 'specs')).filter(
      (file) => /\.ya?ml$/.test(file) && !file.startsWith('problems'),
    );
    expect(specs).toContain('petstore.yaml');
    for (const file of specs) {
      const { code, out } = await lint(`specs/${file}`, '--strict');
      expect({ file, code, warnings: out.match(/^warning: .*/gm) ?? [] }).toEqual({
        file,
        code: 0,
        warnings: [],
      });
    }
  });
});
