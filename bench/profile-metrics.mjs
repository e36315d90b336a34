// Where a request's CPU goes in one bench server variant: runs it under `node --cpu-prof`,
// sends the bench load for a few seconds, and prints the functions with the most self time,
// plus the inclusive time of spectrometer's own functions (dist/) as a share of all samples.
//
// Usage: npm run build && node bench/profile-metrics.mjs [variant=spectrometer] [seconds=10]
// The raw .cpuprofile is kept in .bench-out/profile/ (open it in Chrome DevTools).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort, repo } from './lib.mjs';

const require = createRequire(path.join(repo, 'package.json'));
const autocannon = require('autocannon');
const variant = process.argv[2] || 'spectrometer';
const seconds = Number(process.argv[3] || 10);
const outDir = path.join(repo, '.bench-out', 'profile');
const distUrl = `file://${path.join(repo, 'dist')}/`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForPort(port, child) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(() => resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`server did not listen on ${port}`);
}

const requests = [
  { method: 'GET', path: '/pets/3' },
  {
    method: 'POST',
    path: '/pets',
    headers: { 'content-type': 'application/json' },
    body: '{"name":"rex","tag":"dog"}',
  },
];

// Self time per function, and inclusive time per dist/ function, from the sampled stacks.
// (The app.handle wrapper includes the whole app, so its inclusive share is the app's.)
function summarize(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const label = ({ callFrame: f }) =>
    `${f.functionName || '(anonymous)'} ${path.relative(repo, f.url.replace('file://', '')) || f.url}:${f.lineNumber + 1}`;
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    const node = byId.get(id);
    self.set(label(node), (self.get(label(node)) ?? 0) + dt);
    const seen = new Set();
    for (let n = node; n; n = byId.get(parent.get(n.id))) {
      if (!n.callFrame.url.startsWith(distUrl)) continue;
      const key = label(n);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  });
  const top = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, us]) => `${((100 * us) / total).toFixed(1).padStart(5)} %  ${key}`);
  return { self: top(self, 25), inclusive: top(inclusive, 20) };
}

async function main() {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const port = await freePort();
  const args = ['--cpu-prof', '--cpu-prof-dir', outDir, 'bench/servers/metrics-server.js', variant];
  const child = spawn(process.execPath, args, {
    cwd: repo,
    env: { ...process.env, PORT: String(port), NODE_ENV: 'production' },
    stdio: 'inherit',
  });
  try {
    await waitForPort(port, child);
    const url = `http://127.0.0.1:${port}`;
    const result = await autocannon({ url, connections: 50, duration: seconds, requests });
    console.log(`${variant}: ${result.requests.average} req/s over ${seconds} s`);
  } finally {
    // The server exits normally on SIGTERM, which is when --cpu-prof writes the profile.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    await exited;
  }
  const file = fs.readdirSync(outDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${outDir}`);
  const { self, inclusive } = summarize(JSON.parse(fs.readFileSync(path.join(outDir, file))));
  console.log(`\nself time (share of all samples), ${path.relative(repo, outDir)}/${file}:`);
  console.log(self.join('\n'));
  console.log('\ninclusive time of dist/ functions:');
  console.log(inclusive.join('\n') || '(none)');
}

main().catch((err) => {
  console.error(`profile-metrics: ${err.message}`);
  process.exit(1);
});
