// What the benchmark suites share: where the repository and the shared harness are, and a port.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `../shared/bench/compare.mjs` beside the repository; exits with a clear message when missing. */
export function findCompare(suite) {
  const file = path.resolve(repo, '..', 'shared', 'bench', 'compare.mjs');
  if (!fs.existsSync(file)) {
    process.stderr.write(
      `${suite}: ${file} is missing; this benchmark needs the shared harness beside the repository.\n`,
    );
    process.exit(1);
  }
  return file;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
