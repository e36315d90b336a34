import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src/api';
import type { HandlerContext } from '../../src/api/request/handler-context';
import type { ValidationOptions } from '../../src/api/boot/api-options';
import { reply } from '../../src/api/response/reply';
import { SpectrometerError } from '../../src/errors';
import { parseSamples } from '../helpers/exposition';

const SPEC = {
  openapi: '3.0.3',
  info: { title: 'contract', version: '1' },
  paths: {
    '/pets/{id}': {
      get: {
        operationId: 'getPet',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: {
            description: 'a pet',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['name'],
                  properties: { name: { type: 'string' } },
                },
              },
            },
          },
          404: { description: 'no such pet' },
        },
      },
    },
  },
};

// good answers as declared; bad gives a number for name; teapot answers a status never declared.
const getPet = ({ params }: HandlerContext) => {
  if (params.id === 'bad') return { name: 42 };
  if (params.id === 'teapot') return reply({ name: 'tea' }, { status: 418 });
  return { name: 'Rex' };
};

async function boot(responses: ValidationOptions['responses']) {
  const registry = new Registry();
  const warnings: string[] = [];
  const api = await createApi({
    spec: SPEC,
    handlers: { getPet },
    validation: { responses },
    metrics: { registry, processMetrics: false },
    logger: { warn: (line) => void warnings.push(line) },
  });
  const violations = async () =>
    parseSamples(await registry.metrics())
      .filter((sample) => sample.name === 'spectrometer_contract_violations_total')
      .map(({ labels, value }) => ({ ...labels, value }));
  return { app: api.app, warnings, violations };
}

describe("validation.responses: 'report'", () => {
  it('sends what the handler answered, counts the violation and logs one line with its pointer', async () => {
    const { app, warnings, violations } = await boot('report');
    const res = await request(app).get('/pets/bad').expect(200);
    expect(res.body).toEqual({ name: 42 });
    await request(app).get('/pets/bad').expect(200);
    expect(await violations()).toEqual([{ operation: 'getPet', status: '200', value: 2 }]);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toBe(
      'spectrometer: contract violation: GET /pets/bad (operation getPet) answered 200, which ' +
        '#/paths/~1pets~1{id}/get/responses/200 does not allow: /name must be string',
    );
  });

  it('counts a status the operation does not declare, pointing at its responses', async () => {
    const { app, warnings, violations } = await boot('report');
    await request(app).get('/pets/teapot').expect(418);
    expect(await violations()).toEqual([{ operation: 'getPet', status: '418', value: 1 }]);
    expect(warnings[0]).toMatch(
      /^spectrometer: contract violation: GET \/pets\/teapot \(operation getPet\) answered 418, which #\/paths\/~1pets~1\{id\}\/get\/responses does not allow: /,
    );
  });

  it('counts nothing and logs nothing for answers that keep the contract', async () => {
    const { app, warnings, violations } = await boot({ mode: 'report' });
    await request(app).get('/pets/good').expect(200, { name: 'Rex' });
    expect(await violations()).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('checks no response at sampleRate 0, and every one at 1', async () => {
    const none = await boot({ mode: 'report', sampleRate: 0 });
    for (let i = 0; i < 5; i++) await request(none.app).get('/pets/bad').expect(200);
    expect(await none.violations()).toEqual([]);
    const all = await boot({ mode: 'report', sampleRate: 1 });
    for (let i = 0; i < 5; i++) await request(all.app).get('/pets/bad').expect(200);
    expect(await all.violations()).toEqual([{ operation: 'getPet', status: '200', value: 5 }]);
  });

  it('checks about the share of responses sampleRate says', async () => {
    const random = jest.spyOn(Math, 'random');
    try {
      const { app, violations } = await boot({ mode: 'report', sampleRate: 0.5 });
      for (const draw of [0.1, 0.7, 0.49, 0.5, 0.9, 0.2]) {
        random.mockReturnValueOnce(draw);
        await request(app).get('/pets/bad').expect(200);
      }
      expect(await violations()).toEqual([{ operation: 'getPet', status: '200', value: 3 }]);
    } finally {
      random.mockRestore();
    }
  });

  it('still answers 500 for a broken contract with responses: true', async () => {
    const { app, violations } = await boot(true);
    await request(app).get('/pets/bad').expect(500);
    expect(await violations()).toEqual([]);
  });

  it.each([
    [
      'enforce',
      /validation.responses must be true, false, 'report' or \{ mode: 'report', sampleRate \}/,
    ],
    [{ mode: 'report', sampleRate: 2 }, /sampleRate must be a number from 0 to 1, got 2/],
    [{ mode: 'report', rate: 1 }, /Unknown validation.responses option "rate"/],
  ])('refuses responses: %j', async (responses, message) => {
    const error = await boot(responses as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpectrometerError);
    expect((error as SpectrometerError).code).toBe('SPM_INVALID_OPTION');
    expect((error as Error).message).toMatch(message);
  });
});
