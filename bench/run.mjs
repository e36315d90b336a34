// `npm run bench [-- --quick]`: builds, then runs every benchmark suite that exists and writes
// one combined markdown report.
//
// A suite is `bench/<name>.mjs`; it takes `--quick`, prints its markdown report on stdout and
// its progress on stderr, and exits non-zero when it could not measure. The combined report goes
// to bench/RESULTS.md, or to .bench-out/RESULTS.md with --quick so that short runs never replace
// the committed numbers.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SUITES = [
  'metrics-bench.mjs',
  'scrape-bench.mjs',
  'api-bench.mjs',
  'cluster-bench.mjs',
  'real-specs.mjs',
];
const quick = process.argv.includes('--quick');

function build() {
  // The package, then the examples the suites serve (the cluster bench runs the petstore's).
  for (const script of ['build', 'build:examples']) {
    process.stderr.write(`bench: npm run ${script}\n`);
    const result = spawnSync('npm', ['run', script], { cwd: repo, stdio: 'inherit' });
    if (result.status !== 0) {
      process.stderr.write(`bench: npm run ${script} failed, nothing was measured\n`);
      process.exit(result.status || 1);
    }
  }
}

// Streams the suite's stdout through while keeping a copy for the combined report.
function runSuite(file) {
  const args = [path.join(repo, 'bench', file), ...(quick ? ['--quick'] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: repo,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('error', (err) => resolve({ file, code: 1, out: `${out}\n${err.message}` }));
    child.on('close', (code) => resolve({ file, code, out: out.trim() }));
  });
}

// Suites start their report with a `# Title`; nested one level down here.
const demote = (markdown) => markdown.replace(/^#/gm, '##');

function combined(results) {
  const parts = [
    '# Benchmark results',
    '',
    `Run ${new Date().toISOString()} with \`npm run bench${quick ? ' -- --quick' : ''}\`.`,
    `Suites: ${results.map((r) => `\`bench/${r.file}\``).join(', ')}.`,
  ];
  for (const r of results) {
    parts.push('', demote(r.out || `(bench/${r.file} printed nothing)`));
    if (r.code !== 0) parts.push('', `**bench/${r.file} failed (exit ${r.code}).**`);
  }
  return `${parts.join('\n')}\n`;
}

async function main() {
  const suites = SUITES.filter((f) => fs.existsSync(path.join(repo, 'bench', f)));
  if (!suites.length) {
    process.stderr.write(`bench: none of ${SUITES.join(', ')} exists in bench/\n`);
    process.exit(1);
  }
  build();
  const results = [];
  for (const file of suites) {
    process.stderr.write(`bench: running bench/${file}${quick ? ' --quick' : ''}\n`);
    results.push(await runSuite(file));
  }
  const dir = quick ? path.join(repo, '.bench-out') : path.join(repo, 'bench');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'RESULTS.md'), combined(results));
  process.stderr.write(`bench: wrote ${path.relative(repo, path.join(dir, 'RESULTS.md'))}\n`);
  if (results.some((r) => r.code !== 0)) process.exit(1);
}

main();
