// Overhead of PrometheusMetrics on a real Express app, and the cost of one scrape.
//
// 1. Throughput: bare Express vs `new PrometheusMetrics(app)` (defaults) vs express-prom-bundle,
//    same routes (GET /pets/:id, POST /pets with JSON), side by side in one run of the shared
//    ../shared/bench/compare.mjs (interleaved rounds, paired ratios, pinned CPUs).
// 2. Scrape: time of `metrics.generateMetrics()` vs prom-client `registry.metrics()` on the same
//    registry holding 1,000 and 10,000 series of the default metrics; median of N runs.
//
// Usage: npm run build && node bench/metrics-bench.mjs [--quick]
// Prints a markdown report on stdout (progress on stderr) and writes it to
// bench/RESULTS-metrics.md, or .bench-out/RESULTS-metrics.md with --quick so that short runs
// never replace the committed numbers.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findCompare, repo } from './lib.mjs';

const require = createRequire(path.join(repo, 'package.json'));
const quick = process.argv.includes('--quick');
const GOAL = 0.95;

const settings = quick
  ? { rounds: 3, duration: 2, warmup: 1, scrapeRuns: { 1000: 10, 10000: 5 } }
  : { rounds: 7, duration: 5, warmup: 3, scrapeRuns: { 1000: 30, 10000: 10 } };

function fail(message) {
  process.stderr.write(`metrics-bench: ${message}\n`);
  process.exit(1);
}

function loadSpectrometer() {
  try {
    return require('spectrometer');
  } catch (err) {
    fail(`cannot load spectrometer from dist/ (${err.message}); run "npm run build" first.`);
  }
  return undefined;
}

// ------------------------------------------------------------------ throughput
// Other compare.mjs runs on this machine (several people share it) pin their servers to the
// same CPUs as ours, and test runs steal CPU time too. Wait for a quiet machine, within a bound.
function otherBenchmarks() {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('compare.mjs')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

// CPUs' worth of time spent busy (not idle/iowait) over `ms`, from /proc/stat.
async function busyCpus(ms) {
  const sample = () => {
    const [, ...fields] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const ticks = fields.map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { idle, total: ticks.reduce((a, b) => a + b, 0) };
  };
  const a = sample();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = sample();
  const total = b.total - a.total || 1;
  return (os.cpus().length * (total - (b.idle - a.idle))) / total;
}

async function waitForQuietMachine(maxSeconds) {
  const deadline = Date.now() + maxSeconds * 1000;
  for (;;) {
    const others = otherBenchmarks();
    const busy = await busyCpus(2000);
    if (!others.length && busy < 0.25) return '';
    if (Date.now() > deadline) {
      const what = others.length
        ? `other benchmark runs (pids ${others.join(', ')})`
        : 'other work';
      return `The machine was busy with ${what} (${busy.toFixed(2)} CPUs busy before the start): numbers are noisy.`;
    }
    process.stderr.write(
      `metrics-bench: waiting for a quiet machine (${busy.toFixed(2)} CPUs busy${others.length ? `, compare.mjs pids ${others}` : ''})\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
}

function compareConfig() {
  const server = (variant) => ({
    name: variant,
    cmd: `exec node bench/servers/metrics-server.js ${variant}`,
    env: { NODE_ENV: 'production' },
  });
  return {
    servers: [server('bare'), server('bundle'), server('spectrometer')],
    requests: [
      { method: 'GET', path: '/pets/3' },
      {
        method: 'POST',
        path: '/pets',
        headers: { 'content-type': 'application/json' },
        body: '{"name":"rex","tag":"dog"}',
      },
    ],
    rounds: settings.rounds,
    duration: settings.duration,
    warmup: settings.warmup,
    connections: 50,
  };
}

const roundsFile = (outDir) => path.join(outDir, 'metrics-compare-rounds.json');

function runCompare(compareFile, outDir) {
  const configFile = path.join(outDir, 'metrics-compare.json');
  fs.writeFileSync(configFile, JSON.stringify(compareConfig(), null, 2));
  const args = [compareFile, '--config', configFile, '--cwd', repo, '--json', roundsFile(outDir)];
  return new Promise((resolve, reject) => {
    // Run from the repo so compare.mjs finds autocannon in ./node_modules.
    const child = spawn(process.execPath, args, {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout.trim());
      else reject(new Error(`compare.mjs exited with ${code}:\n${stdout}`));
    });
  });
}

function parseRatios(report) {
  const line = report.split('\n').find((l) => l.startsWith('ratio '));
  if (!line) return undefined;
  return Object.fromEntries(
    line
      .slice('ratio '.length)
      .split(' ')
      .map((pair) => pair.split('='))
      .map(([name, value]) => [name, Number(value)]),
  );
}

// Other processes can only slow a server down, so the best round of each server is the
// estimate least touched by a busy machine: max req/s and min CPU per request over rounds.
function bestRounds(roundsFile) {
  const { rounds } = JSON.parse(fs.readFileSync(roundsFile, 'utf8'));
  const names = Object.keys(rounds[0] ?? {});
  const best = names.map((name) => {
    const runs = rounds.map((round) => round[name]).filter(Boolean);
    return {
      name,
      rps: Math.max(...runs.map((r) => r.rps)),
      cpu: Math.min(...runs.map((r) => r.serverCpuUsPerReq)),
      quietest: Math.min(...runs.map((r) => r.otherCpuUtil)),
    };
  });
  const [base] = best;
  const rows = best.map(
    (b) =>
      `| ${b.name} | ${b.rps.toFixed(0)} | ${(b.rps / base.rps).toFixed(3)} | ${b.cpu.toFixed(1)} | ${(b.cpu / base.cpu).toFixed(3)} | ${(100 * b.quietest).toFixed(0)} % |`,
  );
  return [
    '| server | best req/s | ratio | min CPU µs/req | CPU/req ratio | least CPU used by others in a round |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

// The standard error compare.mjs gives for a server's paired ratio (the "± SE" column).
function ratioError(report, name) {
  const rows = report.split('\n').filter((line) => line.startsWith('|'));
  const header = (rows[0] ?? '').split('|').map((cell) => cell.trim());
  const column = header.indexOf('± SE');
  const row = rows.find((line) => line.split('|')[1]?.trim() === name);
  return column > 0 && row ? Number(row.split('|')[column]) : NaN;
}

// A goal 5 % below bare Express can only be judged when the ratio is known to a few percent.
const MAX_SE = 0.025;

function verdict(report) {
  const ratios = parseRatios(report);
  if (!ratios) return 'No ratio line in the compare.mjs output: the goal could not be checked.';
  const { spectrometer: ours, bundle } = ratios;
  const goal = `≥ ${GOAL} of bare Express and ≥ express-prom-bundle`;
  const measured = `spectrometer ${ours}, express-prom-bundle ${bundle}`;
  if (quick) return `Quick run, too short to judge the goal (${goal}): ${measured}.`;
  const se = Math.max(ratioError(report, 'spectrometer'), ratioError(report, 'bundle'));
  if (!(se <= MAX_SE)) {
    return `**Inconclusive**: ${measured}, but the paired ratios scatter too much (± SE up to ${se}, needs ≤ ${MAX_SE}) to judge the goal (${goal}); rerun on a quiet machine.`;
  }
  const misses = [];
  if (!(ours >= GOAL)) misses.push(`${ours} of bare Express is below the ${GOAL} goal`);
  if (!(ours >= bundle)) misses.push(`${ours} is below express-prom-bundle's ${bundle}`);
  if (!misses.length) return `Goal met (${goal}): ${measured}.`;
  return `**Goal missed**: ${misses.join('; ')}.`;
}

// ---------------------------------------------------------------------- scrape
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const CODES = ['200', '201', '204', '400', '401', '403', '404', '409', '422', '500'];

// Label values for series number i: every label the metric has gets a value, so this keeps
// working whatever the group label is called.
function labelsFor(labelNames, i) {
  const labels = {};
  for (const name of labelNames) {
    if (name === 'method') labels[name] = i % 2 ? 'GET' : 'POST';
    else if (name === 'status') labels[name] = CODES[i % CODES.length];
    else labels[name] = `/r${Math.floor(i / CODES.length)}`;
  }
  return labels;
}

function fillRegistry(spectrometer, series) {
  const { Registry } = require('prom-client');
  const express = require('express');
  const registry = new Registry();
  const metrics = new spectrometer.PrometheusMetrics(express(), {
    registry,
    processMetrics: false,
  });
  const duration = registry.getSingleMetric('express_http_request_duration_seconds');
  const total = registry.getSingleMetric('express_http_request_total');
  if (!duration || !total) fail('the default metrics are not in the registry under their §2 names');
  for (let i = 0; i < series; i++) {
    duration.observe(labelsFor(duration.labelNames, i), (i % 97) / 1000);
    total.inc(labelsFor(total.labelNames, i));
  }
  return { metrics, registry };
}

const elapsedMs = async (fn) => {
  const start = process.hrtime.bigint();
  const out = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, out };
};

async function measureScrape(spectrometer, series, runs) {
  const { metrics, registry } = fillRegistry(spectrometer, series);
  const ours = () => metrics.generateMetrics();
  const theirs = () => registry.metrics();
  for (let i = 0; i < 3; i++) await Promise.all([ours(), theirs()]); // warm-up
  const oursMs = [];
  const theirsMs = [];
  let body = '';
  // Alternate the two so a slow phase of the machine hits both alike.
  for (let i = 0; i < runs; i++) {
    const a = await elapsedMs(ours);
    oursMs.push(a.ms);
    body = a.out.body;
    theirsMs.push((await elapsedMs(theirs)).ms);
  }
  const lines = body.split('\n').filter((l) => l && !l.startsWith('#')).length;
  return {
    series,
    runs,
    lines,
    bytes: body.length,
    ours: median(oursMs),
    theirs: median(theirsMs),
  };
}

function scrapeTable(rows) {
  const f = (x) => x.toFixed(2);
  return [
    '| series | samples | body KiB | `metrics.generateMetrics()` ms | prom-client `registry.metrics()` ms | ratio | runs |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.series.toLocaleString('en')} | ${r.lines.toLocaleString('en')} | ${(r.bytes / 1024).toFixed(0)} | ${f(r.ours)} | ${f(r.theirs)} | ${(r.ours / r.theirs).toFixed(2)} | ${r.runs} |`,
    ),
  ].join('\n');
}

// ---------------------------------------------------------------------- report
function machineNote() {
  const cpus = os.cpus();
  const model = cpus[0] ? cpus[0].model.trim() : 'unknown CPU';
  return `${model}, ${cpus.length} CPUs, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}

function report({ throughput, best, scrape }) {
  const mode = quick ? 'quick run (`--quick`), indicative only' : 'full run';
  return `# PrometheusMetrics benchmark

Measured ${new Date().toISOString()} (${mode}) on ${machineNote()}.

## Throughput: GET /pets/:id and POST /pets (JSON), in turn on every connection

Servers: \`bench/servers/metrics-server.js\` — \`bare\` Express 5, \`bundle\` express-prom-bundle
(method, path and status labels), \`spectrometer\` \`new PrometheusMetrics(app)\` with its
defaults (process metrics included). Run by \`../shared/bench/compare.mjs\`: servers pinned to one
CPU, autocannon to another, ${settings.rounds} interleaved rounds of ${settings.duration} s,
ratios paired per round against bare Express.

${throughput}

${verdict(throughput)}

Best round of each server (noise only slows a server down, so this is the view least
affected by other work on the machine; the goal above is judged on the paired medians):

${best}

## One scrape of the default metrics

A registry holding N label combinations of \`express_http_request_duration_seconds\`
(histogram, default buckets) and \`express_http_request_total\`; median time of one scrape.

${scrapeTable(scrape)}
`;
}

async function main() {
  const compareFile = findCompare('metrics-bench');
  const spectrometer = loadSpectrometer();
  const outDir = path.join(repo, '.bench-out');
  fs.mkdirSync(outDir, { recursive: true });

  const noise = await waitForQuietMachine(quick ? 60 : 600);
  process.stderr.write('metrics-bench: throughput (compare.mjs)\n');
  const throughput = [noise, await runCompare(compareFile, outDir)].filter(Boolean).join('\n\n');
  process.stderr.write('metrics-bench: scrape timings\n');
  const scrape = [];
  for (const series of [1000, 10000]) {
    scrape.push(await measureScrape(spectrometer, series, settings.scrapeRuns[series]));
  }

  const best = bestRounds(roundsFile(outDir));
  const text = report({ throughput, best, scrape });
  const file = path.join(quick ? outDir : path.join(repo, 'bench'), 'RESULTS-metrics.md');
  fs.writeFileSync(file, text);
  process.stdout.write(`${text}\n`);
  process.stderr.write(`metrics-bench: wrote ${path.relative(repo, file)}\n`);
}

main().catch((err) => fail(err.stack || String(err)));
