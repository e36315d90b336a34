#!/usr/bin/env node
// Cluster mode: requests/s of `spectrometer serve` as one process, with 1 worker and with 2
// workers (../shared/bench/compare.mjs), then the time of one aggregated scrape of /metrics.
// Needs `npm run build && npm run build:examples` first (it serves the petstore's handlers). Writes bench/RESULTS-cluster.md (not with --quick).
// Usage: node bench/cluster-bench.mjs [--quick] [any compare.mjs option]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { findCompare, freePort, repo } from './lib.mjs';

const root = repo;
const compare = findCompare('cluster-bench');
if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('run `npm run build` first');
if (!existsSync(join(root, 'examples', 'petstore', 'dist', 'handlers.js')))
  throw new Error('run `npm run build:examples` first');

const quick = process.argv.includes('--quick');
const passThrough = process.argv.slice(2).filter((arg) => arg !== '--quick');
const serve =
  'exec node dist/cli.js serve specs/petstore.yaml --handlers examples/petstore/dist/handlers.js --port "$PORT"';
const PATH = '/v1/pets/1';

function measureThroughput() {
  const sizes = quick
    ? ['--rounds', '2', '--duration', '2', '--warmup', '1']
    : ['--rounds', '5', '--duration', '5', '--warmup', '3'];
  // Not pinned: the point is to let a second worker use a second CPU.
  const args = [compare, '--cwd', root, '--path', PATH, '--no-pin', ...sizes, ...passThrough];
  args.push(`single=${serve}`, `workers-1=${serve} --workers 1`, `workers-2=${serve} --workers 2`);
  const run = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (run.status !== 0) {
    process.stderr.write(run.stdout);
    process.exit(run.status ?? 1);
  }
  return run.stdout.trim();
}

function get(port, path) {
  return new Promise((resolveGet, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let size = 0;
      res.on('data', (chunk) => (size += chunk.length));
      res.on('end', () => resolveGet({ status: res.statusCode, size }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
  });
}

/** Starts serve with `workers` (or one process), times `scrapes` scrapes of /metrics, stops it. */
async function timeScrapes(workers, scrapes) {
  const port = await freePort();
  const args = ['dist/cli.js', 'serve', 'specs/petstore.yaml'];
  args.push('--handlers', 'examples/petstore/dist/handlers.js', '--port', String(port));
  if (workers) args.push('--workers', String(workers));
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    await new Promise((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`serve did not start:\n${out}`)), 20_000);
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('metrics on')) ready(clearTimeout(timer));
      });
      child.once('exit', (code) => fail(new Error(`serve exited with ${code}:\n${out}`)));
    });
    for (let i = 0; i < 200; i++) await get(port, PATH); // some series in every worker
    const times = [];
    let size = 0;
    for (let i = 0; i < scrapes; i++) {
      const start = process.hrtime.bigint();
      const res = await get(port, '/metrics');
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
      size = res.size;
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], max: times.at(-1), size };
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
    await exited;
    clearTimeout(timer);
  }
}

async function main() {
  const throughput = measureThroughput();
  const scrapes = quick ? 20 : 100;
  const rows = [];
  for (const workers of [0, 1, 2, 4]) {
    process.stderr.write(`cluster-bench: ${scrapes} scrapes, ${workers || 'no'} workers\n`);
    const t = await timeScrapes(workers, scrapes);
    const label = workers
      ? `${workers} worker${workers > 1 ? 's' : ''} (aggregated)`
      : 'single process';
    rows.push(`| ${label} | ${t.median.toFixed(2)} | ${t.max.toFixed(2)} | ${t.size} |`);
  }
  const date = new Date().toISOString().slice(0, 10);
  const report =
    `# Cluster mode benchmark (${date})\n\n` +
    `\`node bench/cluster-bench.mjs${quick ? ' --quick' : ''}\` on ${process.platform} ${process.arch}, ` +
    `${os.cpus().length} CPUs, Node ${process.version}. \`spectrometer serve specs/petstore.yaml\` with the petstore ` +
    `handlers: one process, \`--workers 1\` and \`--workers 2\`; GET ${PATH}, 50 connections, ` +
    `servers not pinned (a second worker needs a second CPU), so the load generator shares the CPUs.\n\n` +
    `## Requests per second\n\n${throughput}\n\n` +
    `## One aggregated scrape\n\n` +
    `GET /metrics after 200 requests, ${scrapes} scrapes one after another on new connections; ` +
    `with workers, the worker that takes the scrape asks the primary, which collects every worker's ` +
    `registry over IPC, aggregates and renders.\n\n` +
    `| server | median ms | max ms | body bytes |\n|---|---|---|---|\n${rows.join('\n')}\n`;
  if (!quick) writeFileSync(join(root, 'bench', 'RESULTS-cluster.md'), report);
  process.stdout.write(report);
}

main().catch((error) => {
  process.stderr.write(`cluster-bench: ${error.stack}\n`);
  process.exit(1);
});
