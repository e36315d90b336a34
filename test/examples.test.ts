// Runs each example as a user would (`node examples/<name>/server.js`, which loads the built
// package from dist/; the petstore is TypeScript, run as `npm run build:examples` compiled it),
// sends real requests and reads the metrics it exports.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import request from 'supertest';

const repo = path.resolve(__dirname, '..');
const running = new Set<ChildProcess>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Example {
  child: ChildProcess;
  /** Everything the child printed so far, for failure messages. */
  output: () => string;
}

/** Where an example's server is, when it is not `server.js`: compiled TypeScript. */
const COMPILED: Record<string, string> = { petstore: path.join('dist', 'server.js') };

function startExample(name: string, env: Record<string, string>): Example {
  const script = path.join(repo, 'examples', name, COMPILED[name] ?? 'server.js');
  const child = spawn(process.execPath, [script], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once every port accepts connections; fails early if the example exits. */
async function waitForPorts(example: Example, ports: number[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (example.child.exitCode !== null) {
      throw new Error(`example exited with ${example.child.exitCode}:\n${example.output()}`);
    }
    const ready = await Promise.all(ports.map(connects));
    if (ready.every(Boolean)) return;
    if (Date.now() > deadline) {
      throw new Error(`example did not listen on ${ports.join(', ')}:\n${example.output()}`);
    }
    await sleep(50);
  }
}

/** Resolves with the example's output once it prints `pattern`; fails early if it exits. */
async function waitForOutput(example: Example, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (!pattern.test(example.output())) {
    if (example.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`example did not print ${pattern}:\n${example.output()}`);
    }
    await sleep(50);
  }
  return example.output();
}

async function stop(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

afterEach(async () => {
  await Promise.all([...running].map(stop));
});

// ------------------------------------------------------------- exposition
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) throw new Error(`unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key as string] = value as string;
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one series with this name whose labels include `labels`. */
function valueOf(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) {
    throw new Error(`${found.length} series match ${name} ${JSON.stringify(labels)}`);
  }
  return found[0]?.value;
}

async function scrape(base: string, auth?: [string, string]): Promise<Sample[]> {
  const req = request(base).get('/metrics');
  const res = await (auth ? req.auth(...auth) : req);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return parseExposition(res.text);
}

// ---------------------------------------------------------------- examples
describe('examples/plain-express', () => {
  it('exports the default metrics and each kind of custom metric', async () => {
    const port = await freePort();
    const example = startExample('plain-express', { PORT: String(port) });
    await waitForPorts(example, [port]);
    const app = request(`http://127.0.0.1:${port}`);

    await app.get('/').expect(200);
    await app.get('/').expect(200);
    await app.get('/skip').expect(200);
    await app.get('/items/book').expect(200);
    await app.get('/items/book').expect(200);
    await app.get('/items/toy').expect(200);
    await app.get('/status/404').expect(404);
    await app.get('/status/201').expect(201);

    const samples = await scrape(`http://127.0.0.1:${port}`);
    expect(valueOf(samples, 'app_info', { version: '1.0.3' })).toBe(1);
    expect(valueOf(samples, 'express_http_request_total', { method: 'GET', status: '200' })).toBe(
      2,
    );
    const duration = 'express_http_request_duration_seconds_count';
    expect(valueOf(samples, duration, { method: 'GET', route: '/', status: '200' })).toBe(2);
    // doNotTrack() keeps /skip and /items/:type out of the defaults.
    const routes = samples.filter((s) => s.name === duration).map((s) => s.labels.route);
    expect(routes).not.toContain('/skip');
    expect(routes).not.toContain('/items/:type');
    expect(valueOf(samples, 'invocation_by_type_total', { item_type: 'book' })).toBe(2);
    expect(valueOf(samples, 'invocation_by_type_total', { item_type: 'toy' })).toBe(1);
    expect(valueOf(samples, 'requests_by_status_count', { status: '404' })).toBe(1);
    expect(
      valueOf(samples, 'requests_by_status_and_path_count', {
        status: '201',
        path: '/status/201',
      }),
    ).toBe(1);
    expect(valueOf(samples, 'in_progress')).toBe(0);
  });

  it('counts a long request in the in_progress gauge until it ends', async () => {
    const port = await freePort();
    const example = startExample('plain-express', { PORT: String(port) });
    await waitForPorts(example, [port]);
    const base = `http://127.0.0.1:${port}`;

    const long = request(base)
      .get('/long-running?ms=3000')
      .then((res) => res.status);
    // Polls until the request is seen in flight; the bound only guards against a hang.
    const deadline = Date.now() + 2500;
    let inFlight = valueOf(await scrape(base), 'in_progress');
    while (inFlight !== 1 && Date.now() < deadline) {
      await sleep(25);
      inFlight = valueOf(await scrape(base), 'in_progress');
    }
    expect(inFlight).toBe(1);
    expect(await long).toBe(200);
    expect(valueOf(await scrape(base), 'in_progress')).toBe(0);
  });
});

describe('examples/side-port', () => {
  it('serves the metrics of the app on the side port only', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const example = startExample('side-port', {
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
    });
    await waitForPorts(example, [port, metricsPort]);
    const app = request(`http://127.0.0.1:${port}`);

    await app.get('/').expect(200, 'Hello');
    await app.get('/').expect(200);
    await app.get('/').expect(200);
    await app.get('/metrics').expect(404);

    const samples = await scrape(`http://127.0.0.1:${metricsPort}`);
    const total = 'express_http_request_total';
    expect(valueOf(samples, total, { method: 'GET', status: '200' })).toBe(3);
    expect(valueOf(samples, total, { method: 'GET', status: '404' })).toBe(1);
    const duration = 'express_http_request_duration_seconds_count';
    expect(valueOf(samples, duration, { route: '__unmatched__', status: '404' })).toBe(1);
  });
});

describe('examples/secured-metrics', () => {
  it('answers /metrics only with the right basic auth credentials', async () => {
    const port = await freePort();
    const example = startExample('secured-metrics', {
      PORT: String(port),
      METRICS_USER: 'scraper',
      METRICS_PASSWORD: 's3cret',
    });
    await waitForPorts(example, [port]);
    const app = request(`http://127.0.0.1:${port}`);

    await app.get('/').expect(200);
    const denied = await app.get('/metrics');
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Basic realm="metrics"');
    await app.get('/metrics').auth('scraper', 'wrong').expect(401);
    await app.get('/metrics').auth('prometheus', 'change-me').expect(401);

    const samples = await scrape(`http://127.0.0.1:${port}`, ['scraper', 's3cret']);
    const total = 'express_http_request_total';
    expect(valueOf(samples, total, { method: 'GET', status: '200' })).toBe(1);
    // Rejected scrapes are ordinary requests, so they are counted.
    expect(valueOf(samples, total, { method: 'GET', status: '401' })).toBe(3);
  });

  it('documents prometheus / change-me as the default credentials', async () => {
    const port = await freePort();
    const example = startExample('secured-metrics', { PORT: String(port) });
    await waitForPorts(example, [port]);
    await scrape(`http://127.0.0.1:${port}`, ['prometheus', 'change-me']);
  });
});

describe('examples/app-factory', () => {
  it('records both apps of the factory into one registry, by app label', async () => {
    const [port, adminPort] = [await freePort(), await freePort()];
    const example = startExample('app-factory', {
      PORT: String(port),
      ADMIN_PORT: String(adminPort),
    });
    await waitForPorts(example, [port, adminPort]);
    const publicBase = `http://127.0.0.1:${port}`;
    const adminBase = `http://127.0.0.1:${adminPort}`;

    await request(publicBase).get('/').expect(200, 'hello from the public app');
    await request(publicBase).get('/').expect(200);
    await request(adminBase).get('/').expect(200, 'hello from the admin app');

    const total = 'express_http_request_total';
    for (const base of [publicBase, adminBase]) {
      const samples = await scrape(base);
      expect(valueOf(samples, total, { app: 'public', method: 'GET', status: '200' })).toBe(2);
      expect(valueOf(samples, total, { app: 'admin', method: 'GET', status: '200' })).toBe(1);
    }
  });
});

describe('examples/petstore', () => {
  it('serves the spec with its typed handlers, security and label function', async () => {
    const port = await freePort();
    const example = startExample('petstore', { PORT: String(port) });
    await waitForPorts(example, [port]);
    const base = `http://127.0.0.1:${port}`;
    const api = request(base);
    const auth = { Authorization: 'Bearer demo-token' };

    const listed = await api.get('/v1/pets?limit=2').expect(200);
    expect(listed.body).toEqual([
      { id: 1, name: 'Rex', tag: 'dog' },
      { id: 2, name: 'Tom', tag: 'cat' },
    ]);
    expect(listed.headers['x-total-count']).toBe('2');
    await api.post('/v1/pets').send({ name: 'Kitty', tag: 'cat' }).expect(401);
    const created = await api.post('/v1/pets').set(auth).send({ name: 'Kitty', tag: 'cat' });
    expect([created.status, created.headers.location]).toEqual([201, '/v1/pets/4']);
    expect(created.body).toEqual({ id: 4, name: 'Kitty', tag: 'cat' });
    await api.get('/v1/pets/abc').expect(400);
    await api.get('/v1/pets/1/card').expect(200, 'Rex (dog)');
    await api.get('/v1/pets/1/photo').expect('Content-Type', 'image/png').expect(200);
    await api.get('/v1/pets/1').set('X-Tenant', 'acme').expect(200);
    await api.get('/v1/pets/42').expect(404);
    await api.delete('/v1/pets/4').set(auth).expect(204);
    await api.get('/v1/pets/4/card').expect(404);

    expect(await waitForOutput(example, /\n/)).toBe(
      `petstore API on ${base}/v1/pets, metrics on ${base}/metrics\n`,
    );
    const samples = await scrape(base);
    const lookups = 'petstore_pet_lookups_total';
    expect(valueOf(samples, lookups, { status: '200', kind: 'mammal', tenant: 'acme' })).toBe(1);
    expect(valueOf(samples, lookups, { status: '404', kind: 'none', tenant: 'other' })).toBe(1);
    expect(valueOf(samples, lookups, { status: '400', kind: 'none' })).toBe(1);
    const requests = 'petstore_requests_total';
    expect(valueOf(samples, requests, { operation: 'createPet', status: '401' })).toBe(1);
  });
});

// A net for anything afterEach could not reach (e.g. a hook that timed out).
afterAll(async () => {
  await Promise.all([...running].map(stop));
});
