import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Server } from 'node:http';
import { connect } from 'node:net';
import request from 'supertest';
import { childPids, startProcess, stopAll, stopProcess, waitForOutput } from './cluster/processes';
import { sampleValue } from './helpers/exposition';
import { runCli } from '../src/cli/run';
import { serve } from '../src/cli/serve';
import { SERVER_TIMEOUTS } from '../src/cli/server-timeouts';
import { SpectrometerError } from '../src/errors';

const FIXTURE = join(__dirname, 'fixtures', 'handler-timeout');
const SPEC = join(FIXTURE, 'openapi.yaml');
const HANDLERS = join(FIXTURE, 'handlers.js');
const CLI = join(__dirname, '..', 'dist', 'cli.js');
const TOKEN_ENV = 'SPECTROMETER_TEST_METRICS_TOKEN';

/** Runs `serve` in-process until `use(origin)` is done, then stops it with SIGTERM. */
async function withServe(argv: string[], use: (origin: string) => Promise<void>): Promise<void> {
  const lines: string[] = [];
  const log = jest
    .spyOn(console, 'log')
    .mockImplementation((line: string) => void lines.push(line));
  try {
    const exit = serve([SPEC, '--handlers', HANDLERS, '--port', '0', ...argv]);
    while (lines.length < 2) {
      await Promise.race([exit, new Promise((resolve) => setTimeout(resolve, 20))]);
    }
    const origin = /on (http:\/\/127\.0\.0\.1:\d+)\/$/.exec(lines[0] as string)?.[1] as string;
    try {
      await use(origin);
    } finally {
      process.emit('SIGTERM');
      await expect(exit).resolves.toBe(0);
    }
  } finally {
    log.mockRestore();
  }
}

function usageError(promise: Promise<unknown>): Promise<SpectrometerError> {
  return promise.then(
    () => {
      throw new Error('expected a usage error');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(SpectrometerError);
      expect((error as SpectrometerError).code).toBe('SPM_CLI_USAGE');
      return error as SpectrometerError;
    },
  );
}

describe('spectrometer serve: server timeouts', () => {
  it('listens with the headers, request and keep-alive timeouts of SERVER_TIMEOUTS', async () => {
    expect(SERVER_TIMEOUTS).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 60_000,
      keepAliveTimeout: 65_000,
      connectionsCheckingInterval: 1_000,
    });
    const servers: Server[] = [];
    const listen = jest.spyOn(Server.prototype, 'listen').mockImplementation(function spy(
      this: Server,
      ...args: unknown[]
    ) {
      servers.push(this);
      listen.mockRestore();
      return this.listen(...(args as Parameters<Server['listen']>));
    });
    await withServe([], async (origin) => {
      expect(servers).toHaveLength(1);
      const [server] = servers as [Server];
      expect({
        headersTimeout: server.headersTimeout,
        requestTimeout: server.requestTimeout,
        keepAliveTimeout: server.keepAliveTimeout,
      }).toEqual({ headersTimeout: 10_000, requestTimeout: 60_000, keepAliveTimeout: 65_000 });
      // Clients see the keep-alive timeout too.
      const res = await request(origin).get('/ticks').set('Connection', 'keep-alive').expect(200);
      expect(res.headers['keep-alive']).toBe('timeout=65');
    });
  });

  it('answers 408 and closes a connection whose request headers never finish', async () => {
    // The real 10 s would slow the suite down: the same server option, shortened.
    const server = new Server({ ...SERVER_TIMEOUTS, headersTimeout: 200, requestTimeout: 300 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const socket = connect(port, '127.0.0.1');
      socket.write('GET / HTTP/1.1\r\nHost: slow\r\nX-Never: ');
      let received = '';
      socket.on('data', (chunk) => (received += chunk));
      await new Promise((resolve) => socket.on('close', resolve));
      expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    } finally {
      server.close();
    }
  });
});

describe('spectrometer serve --handler-timeout', () => {
  it('answers a 503 problem for a handler that has not answered by then', async () => {
    await withServe(['--handler-timeout', '50'], async (origin) => {
      const res = await request(origin).get('/pets/1').expect(503);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.body.detail).toBe('operation getPet did not answer within 50 ms');
      const text = (await request(origin).get('/metrics').expect(200)).text;
      const labels = { method: 'GET', operation: 'getPet', status: '503' };
      expect(sampleValue(text, 'express_http_request_duration_seconds_count', labels)).toBe(1);
    });
  });

  it.each(['-1', '1.5', '30s', '2147483648'])('refuses %s with the usage', async (value) => {
    const error = await usageError(serve([SPEC, '--handler-timeout', value]));
    expect(error.message).toMatch(
      new RegExp(
        `^serve: --handler-timeout must be milliseconds from 0 \\(no limit\\) to 2147483647, got ${value.replace('.', '\\.')}\nusage: `,
      ),
    );
  });
});

describe('spectrometer serve --metrics-token-env', () => {
  const token = 'c2VjcmV0-metrics.token_1';
  beforeEach(() => {
    process.env[TOKEN_ENV] = token;
  });
  afterEach(() => {
    delete process.env[TOKEN_ENV];
  });

  it('answers /metrics only with Authorization: Bearer <token>', async () => {
    await withServe(['--metrics-token-env', TOKEN_ENV], async (origin) => {
      const missing = await request(origin).get('/metrics').expect(401);
      expect(missing.headers['content-type']).toBe('application/problem+json');
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(missing.body).toMatchObject({ status: 401, title: 'Unauthorized' });
      const wrong = await request(origin)
        .get('/metrics')
        .set('Authorization', `Bearer ${token}x`)
        .expect(401);
      expect(wrong.headers['www-authenticate']).toBe(
        'Bearer realm="metrics", error="invalid_token"',
      );
      await request(origin).get('/metrics').set('Authorization', `Basic ${token}`).expect(401);
      const ok = await request(origin)
        .get('/metrics')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(ok.text).toContain('# TYPE express_http_request_total counter');
      // The API itself needs no token.
      await request(origin).get('/ticks').expect(200, 'tick\n');
    });
  });

  it('is a usage error when the variable is unset or empty', async () => {
    delete process.env[TOKEN_ENV];
    const unset = await usageError(serve([SPEC, '--metrics-token-env', TOKEN_ENV]));
    expect(unset.message).toBe(
      `serve: --metrics-token-env ${TOKEN_ENV}: the environment variable ${TOKEN_ENV} is not set; set it to the token scrapers must send (Authorization: Bearer <token>)`,
    );
    process.env[TOKEN_ENV] = '';
    const empty = await usageError(serve([SPEC, '--metrics-token-env', TOKEN_ENV]));
    expect(empty.message).toMatch(/the environment variable \S+ is empty;/);
    process.env[TOKEN_ENV] = 'two words';
    const spaced = await usageError(serve([SPEC, '--metrics-token-env', TOKEN_ENV]));
    expect(spaced.message).toMatch(/cannot be sent as a bearer token/);
    expect(spaced.message).not.toContain('two words');
  });

  it('takes a variable name, never echoing what looks like a token', async () => {
    const error = await usageError(serve([SPEC, '--metrics-token-env', 'abc-123.xyz']));
    expect(error.message).not.toContain('abc-123.xyz');
    expect(error.message).toMatch(/takes the name of an environment variable/);
  });

  // The built CLI (npm run build).
  it('exits 2 from the command line when the variable is not set', () => {
    const env = { ...process.env };
    delete env[TOKEN_ENV];
    const result = spawnSync(
      process.execPath,
      [CLI, 'serve', SPEC, '--port', '0', '--metrics-token-env', TOKEN_ENV],
      { encoding: 'utf8', timeout: 15_000, env },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`the environment variable ${TOKEN_ENV} is not set`);
  });
});

describe('spectrometer serve --help', () => {
  it('lists --handler-timeout and --metrics-token-env with their defaults', async () => {
    const out: string[] = [];
    const log = jest
      .spyOn(console, 'log')
      .mockImplementation((line: string) => void out.push(line));
    try {
      expect(await runCli(['serve', '--help'])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const lines = out.join('\n').split('\n');
    const option = (flag: string) => {
      const at = lines.findIndex((line) => line.startsWith(`  ${flag} `));
      return [lines[at]?.replace(/ {2,}/g, '  ').trim(), lines[at + 1]?.trim()];
    };
    expect(option('--handler-timeout <ms>')).toEqual([
      '--handler-timeout <ms>  a handler that has not answered by then gets a 503 problem (0: no limit)',
      'default: 30000',
    ]);
    expect(option('--metrics-token-env <NAME>')).toEqual([
      '--metrics-token-env <NAME>  /metrics requires Authorization: Bearer <the value of $NAME>',
      'default: none (/metrics is open to whoever reaches the port)',
    ]);
  });
});

// Cluster mode runs the built CLI (`npm run build`): the primary forks dist/cli.js as workers.
describe('spectrometer serve --workers with the production options', () => {
  const workerPids: number[] = [];
  afterAll(() => stopAll(workerPids));

  it("protects every worker's /metrics, times handlers out and keeps connections 65 s", async () => {
    const token = 'cluster-token';
    const primary = startProcess(
      process.execPath,
      [
        CLI,
        'serve',
        SPEC,
        '--handlers',
        HANDLERS,
        '--port',
        '0',
        '--workers',
        '2',
        '--handler-timeout',
        '50',
        '--metrics-token-env',
        TOKEN_ENV,
      ],
      { env: { [TOKEN_ENV]: token } },
    );
    const [, origin] = await waitForOutput(
      primary,
      /on (http:\/\/127\.0\.0\.1:\d+)\/ \(2 workers\)\n/,
    );
    workerPids.push(...childPids(primary.pid));
    const client = request(origin as string);
    // A new connection per request: each worker gets its turn.
    for (let i = 0; i < 4; i++) {
      const missing = await client.get('/metrics').set('Connection', 'close').expect(401);
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      await client.get('/pets/1').set('Connection', 'close').expect(503);
    }
    const kept = await client.get('/ticks').set('Connection', 'keep-alive').expect(200);
    expect(kept.headers['keep-alive']).toBe('timeout=65');
    const text = (
      await client
        .get('/metrics')
        .set('Authorization', `Bearer ${token}`)
        .set('Connection', 'close')
        .expect(200)
    ).text;
    const timedOut = { method: 'GET', operation: 'getPet', status: '503' };
    expect(sampleValue(text, 'express_http_request_duration_seconds_count', timedOut)).toBe(4);
    expect(
      sampleValue(text, 'express_http_request_exceptions_total', { method: 'GET', status: '500' }),
    ).toBe(4);
    await stopProcess(primary);
    expect(primary.child.exitCode).toBe(0);
  }, 30_000);
});
