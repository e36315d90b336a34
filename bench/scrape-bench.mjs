// One scrape of a big registry: spectrometer's renderer (`metrics.generateMetrics()`) against
// prom-client's own (`registry.metrics()`), on the same registry, side by side.
//
// For 1,000, 10,000 and 100,000 series of the default metrics (the duration histogram with its
// default buckets, plus the request counter): time of one scrape (runs alternate between the two
// renderers; median, min-max and the paired ratio), body size, whether both bodies are identical,
// and, in a fresh process per renderer and size, the peak memory a scrape adds and the longest
// time it blocks the event loop.
//
// Usage: npm run build && node bench/scrape-bench.mjs [--quick]
// Prints a markdown report on stdout (progress on stderr) and writes it to
// bench/RESULTS-scrape.md, or .bench-out/RESULTS-scrape.md with --quick.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repo, 'package.json'));
const quick = process.argv.includes('--quick');
const RUNS = quick ? { 1000: 10, 10000: 4, 100000: 2 } : { 1000: 30, 10000: 10, 100000: 4 };
const SIZES = [1000, 10000, 100000];
const CODES = ['200', '201', '204', '400', '401', '403', '404', '409', '422', '500'];

function fillRegistry(series) {
  const { PrometheusMetrics } = require('spectrometer');
  const { Registry } = require('prom-client');
  const express = require('express');
  const registry = new Registry();
  const metrics = new PrometheusMetrics(express(), { registry, processMetrics: false });
  const duration = registry.getSingleMetric('express_http_request_duration_seconds');
  const total = registry.getSingleMetric('express_http_request_total');
  for (let i = 0; i < series; i++) {
    const method = i % 2 ? 'GET' : 'POST';
    const status = CODES[i % CODES.length];
    duration.observe(
      { method, route: `/r${Math.floor(i / CODES.length)}`, status },
      (i % 97) / 1000,
    );
    total.inc({ method, status });
  }
  return { metrics, registry };
}

const renderers = {
  spectrometer: ({ metrics }) => metrics.generateMetrics().then((r) => r.body),
  'prom-client': ({ registry }) => registry.metrics(),
};

// ------------------------------------------------------------- one child process per measure
async function child(name, series) {
  const filled = fillRegistry(series);
  const render = renderers[name];
  await render(filled); // warm-up, so both are measured with their code compiled
  globalThis.gc();
  const before = process.memoryUsage().rss;
  // The longest gap between two ticks of a 1 ms timer while the scrape runs.
  let last = performance.now();
  let blockMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    blockMs = Math.max(blockMs, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  blockMs = 0;
  last = performance.now();
  const body = await render(filled);
  await new Promise((resolve) => setTimeout(resolve, 20));
  clearInterval(ticker);
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    JSON.stringify({
      addedMiB: Math.max(0, peak - before) / 2 ** 20,
      blockMs,
      bytes: body.length,
    }),
  );
}

function measureInChild(name, series) {
  const script = fileURLToPath(import.meta.url);
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', script, '--child', name, String(series)],
    {
      cwd: repo,
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
    },
  );
  if (result.status !== 0) throw new Error(`child ${name} ${series} failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

// ------------------------------------------------------------------------------ timings
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function time(fn) {
  const start = process.hrtime.bigint();
  const out = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, out };
}

async function measureTimes(series, runs) {
  const filled = fillRegistry(series);
  const ours = () => renderers.spectrometer(filled);
  const theirs = () => renderers['prom-client'](filled);
  const identical = (await ours()) === (await theirs());
  const a = [];
  const b = [];
  let body = '';
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so a slow phase of the machine hits both alike.
    const first = i % 2 ? theirs : ours;
    const second = i % 2 ? ours : theirs;
    const x = await time(first);
    const y = await time(second);
    const [o, t] = i % 2 ? [y, x] : [x, y];
    a.push(o.ms);
    b.push(t.ms);
    body = o.out;
  }
  const ratios = a.map((ms, i) => ms / b[i]);
  const samples = body.split('\n').filter((line) => line && !line.startsWith('#')).length;
  return {
    series,
    runs,
    samples,
    bytes: Buffer.byteLength(body),
    identical,
    ours: a,
    theirs: b,
    ratios,
  };
}

// ------------------------------------------------------------------------------- report
const f1 = (x) => x.toFixed(1);
const range = (xs) => `${f1(Math.min(...xs))}–${f1(Math.max(...xs))}`;
const mib = (bytes) => (bytes / 2 ** 20).toFixed(1);

function machineNote() {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

function report(rows) {
  const times = rows.map(
    (r) =>
      `| ${r.series.toLocaleString('en')} | ${r.samples.toLocaleString('en')} | ${mib(r.bytes)} | ${r.identical ? 'yes' : '**no**'} | ${f1(median(r.ours))} (${range(r.ours)}) | ${f1(median(r.theirs))} (${range(r.theirs)}) | ${median(r.ratios).toFixed(2)} (${r.ratios.length > 1 ? `${Math.min(...r.ratios).toFixed(2)}–${Math.max(...r.ratios).toFixed(2)}` : '–'}) | ${r.runs} |`,
  );
  const cost = rows.map(
    (r) =>
      `| ${r.series.toLocaleString('en')} | ${f1(r.child.spectrometer.blockMs)} | ${f1(r.child['prom-client'].blockMs)} | ${f1(r.child.spectrometer.addedMiB)} | ${f1(r.child['prom-client'].addedMiB)} |`,
  );
  return `# One scrape: spectrometer's renderer vs prom-client's

Measured ${new Date().toISOString()} (${quick ? 'quick run, indicative only' : 'full run'}) on ${machineNote()}.

A registry holding N series of \`express_http_request_duration_seconds\` (histogram, 11 default
buckets: 14 samples per series) and 20 of \`express_http_request_total\`. Both renderers read the
same registry; runs alternate between them. Times in ms: median (min–max); ratio =
spectrometer / prom-client per pair of runs, median (min–max). "identical" = both bodies are the
same bytes.

| series | samples | body MiB | identical | \`generateMetrics()\` ms | \`registry.metrics()\` ms | ratio | runs |
|---:|---:|---:|:-:|---:|---:|---:|---:|
${times.join('\n')}

One scrape in a fresh process per renderer and size (after one warm-up scrape): the longest the
event loop was blocked, and how much the process' peak RSS grew during the scrape.

| series | event-loop block ms, spectrometer | prom-client | peak RSS added MiB, spectrometer | prom-client |
|---:|---:|---:|---:|---:|
${cost.join('\n')}
`;
}

async function main() {
  if (process.argv[2] === '--child') return child(process.argv[3], Number(process.argv[4]));
  const rows = [];
  for (const series of SIZES) {
    process.stderr.write(`scrape-bench: ${series} series\n`);
    const row = await measureTimes(series, RUNS[series]);
    row.child = {
      spectrometer: measureInChild('spectrometer', series),
      'prom-client': measureInChild('prom-client', series),
    };
    rows.push(row);
  }
  const text = report(rows);
  const dir = quick ? path.join(repo, '.bench-out') : path.join(repo, 'bench');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'RESULTS-scrape.md'), text);
  process.stdout.write(`${text}\n`);
  return undefined;
}

await main();
