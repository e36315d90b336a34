#!/usr/bin/env node
// createApi (validation + metrics) vs the same API wired by hand (express + express-openapi-validator
// + express-prom-bundle) vs bare Express, side by side in one run of ../shared/bench/compare.mjs.
// Needs `npm run build` first (the spectrometer server loads ./dist). Writes bench/RESULTS-api.md.
// Usage: node bench/api-bench.mjs [--rounds N] [--duration S] [any compare.mjs option]
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCompare, repo } from './lib.mjs';

const root = repo;
const compare = findCompare('api-bench');
if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('run `npm run build` first');

const requests = [
  { method: 'GET', path: '/pets/3' },
  {
    method: 'POST',
    path: '/pets',
    headers: { 'content-type': 'application/json' },
    body: '{"name":"rex","tag":"dog"}',
  },
];
const quick = process.argv.includes('--quick');
const passThrough = process.argv.slice(2).filter((arg) => arg !== '--quick');
const sizes = quick
  ? ['--rounds', '2', '--duration', '2', '--warmup', '1']
  : ['--rounds', '5', '--duration', '5', '--warmup', '3'];
const args = [
  compare,
  '--cwd',
  root,
  '--requests',
  JSON.stringify(requests),
  ...sizes,
  '--connections',
  '50',
  ...passThrough,
  'bare=exec node bench/api-server.js bare',
  'hand-wired=exec node bench/api-server.js hand-wired',
  'spectrometer=exec node bench/api-server.js spectrometer',
  // Issue 12: `validation.responses: { mode: 'report', sampleRate: 0 }` must cost nothing.
  'report-0=exec node bench/api-server.js spectrometer-report-0',
];
const run = spawnSync(process.execPath, args, {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (run.status !== 0) {
  process.stderr.write(run.stdout);
  process.exit(run.status ?? 1);
}

const ratios = Object.fromEntries(
  [...run.stdout.matchAll(/(\S+)=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]),
);
const vsHand =
  ratios.spectrometer && ratios['hand-wired']
    ? (ratios.spectrometer / ratios['hand-wired']).toFixed(2)
    : '?';
const vsSpectrometer =
  ratios.spectrometer && ratios['report-0']
    ? (ratios['report-0'] / ratios.spectrometer).toFixed(3)
    : '?';
const date = new Date().toISOString().slice(0, 10);
const report =
  `## createApi benchmark (${date})\n\n` +
  `\`node bench/api-bench.mjs\` on ${process.platform} ${process.arch}, Node ${process.version}: GET /pets/3 and ` +
  `POST /pets (JSON body) alternating, 50 connections; servers pinned to one CPU, the load generator to another.\n\n` +
  `- bare: Express 5 + express.json(), no validation, no metrics\n` +
  `- hand-wired: Express 5 + express-prom-bundle + express.json() + express-openapi-validator middleware\n` +
  `- spectrometer: createApi (request validation + PrometheusMetrics, groupBy operation)\n` +
  `- report-0: the same with \`validation: { responses: { mode: 'report', sampleRate: 0 } }\`\n\n` +
  run.stdout.trim() +
  `\n\n**spectrometer / hand-wired = ${vsHand}×** (goal ≥ 1.25×); ` +
  `**report-0 / spectrometer = ${vsSpectrometer}** (sampleRate 0 costs nothing: 1 within the noise)\n`;
// Short runs never replace the committed numbers.
if (!quick) writeFileSync(join(root, 'bench', 'RESULTS-api.md'), report);
process.stdout.write(report);
