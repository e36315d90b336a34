import { join } from 'node:path';
import {
  childPids,
  isAlive,
  startProcess,
  stopAll,
  stopProcess,
  waitFor,
  waitForOutput,
} from './cluster/processes';
import { parseSamples, sampleValue } from './helpers/exposition';
import request from 'supertest';
import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { serve } from '../src/cli/serve';
import { STOP_GRACE_MS } from '../src/cli/server-lifecycle';
import { SpectrometerError } from '../src/errors';

const PETSTORE = join(__dirname, '..', 'specs', 'petstore.yaml');
const SECURED = join(__dirname, 'fixtures', 'serve-handlers', 'handlers.js');
const FLAT = join(__dirname, 'fixtures', 'serve-flat-handlers', 'handlers.js');
const NO_LABEL_FUNCTIONS = join(
  __dirname,
  'fixtures',
  'serve-handlers-without-label-functions',
  'handlers.js',
);
const CLI = join(__dirname, '..', 'dist', 'cli.js');
// The petstore's document-level defaultLabels, for requests without an X-Tenant header.
const DEFAULT_LABELS = { service: 'petstore', tenant: 'other' };

describe('spectrometer serve', () => {
  it('boots the spec, prints where the API and /metrics are, and stops on SIGTERM', async () => {
    const lines: string[] = [];
    const log = jest
      .spyOn(console, 'log')
      .mockImplementation((line: string) => void lines.push(line));
    try {
      const exit = serve([PETSTORE, '--handlers', SECURED, '--mock', '--port', '0']);
      while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      const origin = /on (http:\/\/127\.0\.0\.1:\d+)\/v1$/.exec(lines[0] as string)?.[1] as string;
      expect(lines[0]).toBe(`spectrometer: Petstore on ${origin}/v1`);
      expect(lines[1]).toBe(`spectrometer: metrics on ${origin}/metrics`);
      expect((await request(origin).get('/v1/pets/1').expect(200)).body).toEqual({
        id: 1,
        name: 'Rex',
        tag: 'dog',
      });
      expect((await request(origin).get('/v1/pets/1/card').expect(200)).text).toBe('handled');
      const text = (await request(origin).get('/metrics').expect(200)).text;
      const card = { method: 'GET', operation: 'getPetCard', status: '200', ...DEFAULT_LABELS };
      expect(sampleValue(text, 'petstore_http_request_duration_seconds_count', card)).toBe(1);
      // The module's labelFunctions.petKind labels the spec's { fn: petKind } label.
      const lookup = { tag: 'dog', status: '200', kind: 'mammal', ...DEFAULT_LABELS };
      expect(sampleValue(text, 'petstore_pet_lookups_total', lookup)).toBe(1);
      process.emit('SIGTERM');
      await expect(exit).resolves.toBe(0);
    } finally {
      log.mockRestore();
    }
  });

  it('stops on SIGTERM while a response is still streaming, closing it after the grace period', async () => {
    const lines: string[] = [];
    const log = jest
      .spyOn(console, 'log')
      .mockImplementation((line: string) => void lines.push(line));
    const fixture = join(__dirname, 'fixtures', 'serve-open-stream');
    try {
      const exit = serve([
        join(fixture, 'openapi.yaml'),
        '--handlers',
        join(fixture, 'handlers.js'),
        '--port',
        '0',
      ]);
      while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      const origin = /on (http:\/\/127\.0\.0\.1:\d+)\/$/.exec(lines[0] as string)?.[1] as string;
      const ended = new Promise<string>((resolve) => {
        get(`${origin}/ticks`, (res) => {
          res.once('data', () => process.emit('SIGTERM'));
          res.on('error', () => resolve('cut'));
          res.on('close', () => resolve('cut'));
        });
      });
      const started = Date.now();
      await expect(exit).resolves.toBe(0);
      expect(Date.now() - started).toBeLessThan(STOP_GRACE_MS + 3000);
      expect(await ended).toBe('cut');
      // The generator was told to return; it does so at its next `yield` (within 50 ms here).
      await waitFor(
        'the stream generator to run its finally block',
        () => (globalThis as { ticksStopped?: boolean }).ticksStopped || undefined,
        2000,
      );
      expect(lines[3]).toMatch(/, stopping \(open requests get 5 s to finish\)$/);
    } finally {
      log.mockRestore();
    }
  }, 20_000);

  it('rejects bad --workers values and unknown options with the usage', async () => {
    for (const workers of ['0', '1.5', 'two']) {
      const error = await serve([PETSTORE, '--workers', workers]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpectrometerError);
      expect((error as SpectrometerError).code).toBe('SPM_CLI_USAGE');
      expect((error as SpectrometerError).message).toMatch(
        new RegExp(
          `^serve: --workers must be a whole number from 1 to 1024, got ${workers}\nusage: `,
        ),
      );
    }
    await expect(serve([PETSTORE, '--verbose'])).rejects.toThrow(
      /serve: unknown option --verbose\nusage: spectrometer serve/,
    );
  });

  it('takes security and labelFunctions objects beside handlers exported at the top level', async () => {
    const lines: string[] = [];
    const log = jest
      .spyOn(console, 'log')
      .mockImplementation((line: string) => void lines.push(line));
    try {
      const exit = serve([PETSTORE, '--handlers', FLAT, '--mock', '--port', '0']);
      while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      const origin = /on (http:\/\/127\.0\.0\.1:\d+)\/v1$/.exec(lines[0] as string)?.[1] as string;
      expect((await request(origin).get('/v1/pets/1/card').expect(200)).text).toBe('flat');
      await request(origin).delete('/v1/pets/1').set('Authorization', 'Bearer any').expect(204);
      await request(origin).get('/v1/pets/1').expect(200);
      const text = (await request(origin).get('/metrics').expect(200)).text;
      const lookup = { tag: 'dog', status: '200', kind: 'flat-kind', ...DEFAULT_LABELS };
      expect(sampleValue(text, 'petstore_pet_lookups_total', lookup)).toBe(1);
      process.emit('SIGTERM');
      await expect(exit).resolves.toBe(0);
    } finally {
      log.mockRestore();
    }
  });

  it('fails to boot a spec whose security handlers are missing, saying how to export them', async () => {
    const error = await serve([PETSTORE, '--port', '0']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpectrometerError);
    expect((error as SpectrometerError).code).toBe('SPM_API_BOOT');
    const lines = (error as SpectrometerError).message.split('\n');
    expect(lines[0]).toBe('createApi found 2 problem(s)');
    expect(lines[1]).toMatch(/security scheme "bearerAuth" has no handler/);
    expect(lines[2]).toMatch(/names the label function "petKind"/);
    expect(lines.slice(3)).toEqual([
      'serve: export them from a module given as --handlers: module.exports = { handlers, security: { bearerAuth }, labelFunctions: { petKind } }',
    ]);
  });

  it('boots with --mock without security handlers: a credential of the scheme is enough, and a warning says so', async () => {
    const lines: string[] = [];
    const log = jest
      .spyOn(console, 'log')
      .mockImplementation((line: string) => void lines.push(line));
    const warnings: string[] = [];
    const warn = jest
      .spyOn(console, 'warn')
      .mockImplementation((line: string) => void warnings.push(line));
    try {
      const exit = serve([PETSTORE, '--mock', '--port', '0']);
      while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(warnings).toContainEqual(
        expect.stringContaining('security scheme "bearerAuth" has no handler: mocked'),
      );
      const origin = /on (http:\/\/127\.0\.0\.1:\d+)\/v1$/.exec(lines[0] as string)?.[1] as string;
      const missing = await request(origin).delete('/v1/pets/1').expect(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="api"');
      await request(origin).delete('/v1/pets/1').set('Authorization', 'Bearer any').expect(204);
      process.emit('SIGTERM');
      await expect(exit).resolves.toBe(0);
    } finally {
      log.mockRestore();
      warn.mockRestore();
    }
  });

  it('names the --handlers module that lacks a label function the spec uses', async () => {
    const args = [PETSTORE, '--handlers', NO_LABEL_FUNCTIONS, '--port', '0'];
    const error = await serve(args).catch((e: unknown) => e);
    expect((error as SpectrometerError).code).toBe('SPM_API_BOOT');
    expect((error as SpectrometerError).message).toMatch(
      /label "kind" names the label function "petKind", which labelFunctions does not have/,
    );
    expect((error as SpectrometerError).message.split('\n').slice(-1)).toEqual([
      `serve: export them from the --handlers module (${NO_LABEL_FUNCTIONS}): module.exports = { handlers, labelFunctions: { petKind } }`,
    ]);
  });

  it('boots with --mock without the label function: its label is "__missing__", and a warning says so', async () => {
    const lines: string[] = [];
    const log = jest
      .spyOn(console, 'log')
      .mockImplementation((line: string) => void lines.push(line));
    const warnings: string[] = [];
    const warn = jest
      .spyOn(console, 'warn')
      .mockImplementation((line: string) => void warnings.push(line));
    try {
      const exit = serve([PETSTORE, '--handlers', NO_LABEL_FUNCTIONS, '--mock', '--port', '0']);
      while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(warnings).toContainEqual(
        expect.stringContaining(
          'label function "petKind" is not given: label "kind" of petstore_pet_lookups_total is "__missing__" in mock mode',
        ),
      );
      const origin = /on (http:\/\/127\.0\.0\.1:\d+)\/v1$/.exec(lines[0] as string)?.[1] as string;
      await request(origin).get('/v1/pets/1').expect(200);
      const text = (await request(origin).get('/metrics').expect(200)).text;
      const lookup = { status: '200', kind: '__missing__', ...DEFAULT_LABELS };
      expect(sampleValue(text, 'petstore_pet_lookups_total', { tag: 'dog', ...lookup })).toBe(1);
      process.emit('SIGTERM');
      await expect(exit).resolves.toBe(0);
    } finally {
      log.mockRestore();
      warn.mockRestore();
    }
  });

  // The built CLI (npm run build) prints the boot error and exits 1.
  it('prints the boot error and exits 1 from the command line', async () => {
    const cli = startProcess(process.execPath, [CLI, 'serve', PETSTORE, '--port', '0']);
    await waitFor('the CLI to exit', () => cli.child.exitCode ?? undefined, 15_000, cli.output);
    expect(cli.child.exitCode).toBe(1);
    expect(cli.output()).toContain(
      'serve: export them from a module given as --handlers: module.exports = { handlers, security: { bearerAuth }, labelFunctions: { petKind } }\n',
    );
  });
  it('exits 2 on a wrong command line and 0 for --help, from the command line', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 15_000 });
    for (const args of [
      ['serve'],
      ['serve', PETSTORE, '--verbose'],
      ['serve', PETSTORE, '--port', 'x'],
      ['nope'],
    ]) {
      const result = run(...args);
      expect({ args, status: result.status }).toEqual({ args, status: 2 });
      expect(result.stderr).toMatch(/usage:/);
    }
    const help = run('serve', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: spectrometer serve <spec>/);
  });
});

// Cluster mode runs the built CLI (`npm run build`): the primary forks dist/cli.js as workers.
describe('spectrometer serve --workers', () => {
  const workerPids: number[] = [];
  afterAll(() => stopAll(workerPids));

  it('prints the boot warnings once, not once per worker', async () => {
    const primary = startProcess(process.execPath, [
      CLI,
      'serve',
      PETSTORE,
      '--mock',
      '--port',
      '0',
      '--workers',
      '2',
    ]);
    await waitForOutput(primary, /\(2 workers\)\n/);
    const mine = childPids(primary.pid);
    const mocked = primary.output().match(/security scheme "bearerAuth" has no handler: mocked/g);
    expect(mocked).toHaveLength(1);
    await stopProcess(primary);
    await stopAll(mine);
  });

  it('serves the API from N workers on one port; /metrics on any of them sums every worker', async () => {
    const primary = startProcess(process.execPath, [
      CLI,
      'serve',
      PETSTORE,
      '--handlers',
      SECURED,
      '--mock',
      '--port',
      '0',
      '--workers',
      '3',
    ]);
    const [, origin] = await waitForOutput(
      primary,
      /on (http:\/\/127\.0\.0\.1:\d+)\/v1 \(3 workers\)\n/,
    );
    expect(primary.output()).toContain(
      `spectrometer: metrics on ${origin}/metrics (every worker answers for all workers)`,
    );
    workerPids.push(...childPids(primary.pid));
    expect(workerPids).toHaveLength(3);
    // A new connection per request: the primary hands connections to the workers in turn.
    for (let i = 0; i < 12; i++) {
      await request(origin as string)
        .get('/v1/pets/1/card')
        .set('Connection', 'close')
        .expect(200, 'handled');
    }
    for (let i = 0; i < 3; i++) {
      const text = (
        await request(origin as string)
          .get('/metrics')
          .set('Connection', 'close')
          .expect(200)
      ).text;
      const count = { method: 'GET', operation: 'getPetCard', status: '200', ...DEFAULT_LABELS };
      expect(sampleValue(text, 'petstore_http_request_duration_seconds_count', count)).toBe(12);
      // One info series at 1, not one per worker and not 3 (info gauges aggregate by max).
      const info = parseSamples(text).filter((s) => s.name === 'petstore_exporter_info');
      expect(info.map((s) => s.value)).toEqual([1]);
      expect(sampleValue(text, 'spectrometer_cluster_workers', { state: 'responded' })).toBe(3);
    }
    await stopProcess(primary);
    expect(primary.child.exitCode).toBe(0);
    expect(primary.output()).toMatch(/spectrometer: SIGTERM, stopping 3 workers\n$/);
    await waitFor(
      'every worker to exit',
      () => (workerPids.some(isAlive) ? undefined : true),
      5000,
    );
  });

  it('replaces a worker that dies, and its workers exit when the primary is killed', async () => {
    const primary = startProcess(process.execPath, [
      CLI,
      'serve',
      PETSTORE,
      '--handlers',
      SECURED,
      '--mock',
      '--port',
      '0',
      '--workers',
      '2',
    ]);
    const [, origin] = await waitForOutput(
      primary,
      /on (http:\/\/127\.0\.0\.1:\d+)\/v1 \(2 workers\)\n/,
    );
    const [victim, survivor] = childPids(primary.pid) as [number, number];
    workerPids.push(victim, survivor);
    process.kill(victim, 'SIGKILL');
    await waitForOutput(
      primary,
      new RegExp(`worker ${victim} exited \\(SIGKILL\\), starting another\\n`),
    );
    const replacement = await waitFor('a replacement worker', () => {
      const pids = childPids(primary.pid).filter((pid) => pid !== survivor);
      return pids.length === 1 ? pids[0] : undefined;
    });
    workerPids.push(replacement as number);
    const text = await waitFor('both workers in a scrape', async () => {
      const res = await request(origin as string)
        .get('/metrics')
        .set('Connection', 'close');
      return sampleValue(res.text, 'spectrometer_cluster_workers', { state: 'responded' }) === 2
        ? res.text
        : undefined;
    });
    expect(sampleValue(text, 'spectrometer_cluster_workers', { state: 'failed' })).toBe(0);
    primary.child.kill('SIGKILL');
    await waitFor(
      'the workers to exit after their primary',
      () => ([survivor, replacement as number].some(isAlive) ? undefined : true),
      5000,
    );
  });

  it('prints a boot error once and exits 1 when the first worker cannot start', async () => {
    const primary = startProcess(process.execPath, [
      CLI,
      'serve',
      PETSTORE,
      '--handlers',
      NO_LABEL_FUNCTIONS,
      '--port',
      '0',
      '--workers',
      '3',
    ]);
    await waitFor(
      'the primary to exit',
      () => primary.child.exitCode ?? undefined,
      15_000,
      primary.output,
    );
    expect(primary.child.exitCode).toBe(1);
    const output = primary.output();
    expect(output.match(/no handler for operationId "listPets"/g)).toHaveLength(1);
    expect(output.match(/names the label function "petKind"/g)).toHaveLength(1);
    expect(output).toMatch(/serve: worker \d+ exited \(1\) before it listened\n$/);
  });
});
