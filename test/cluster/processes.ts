// Real processes for the cluster and end-to-end suites: start, wait for output, stop by pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A started process and everything it printed so far. */
export interface Running {
  child: ChildProcess;
  pid: number;
  output(): string;
}

const running = new Set<Running>();

/** `count` distinct ports free on 127.0.0.1 right now (held open together, then released). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Starts `command args` with stdout/stderr captured; `stopAll()` stops it. */
export function startProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Running {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const started: Running = { child, pid: child.pid, output: () => output };
  running.add(started);
  return started;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value other than undefined, or fails after `deadlineMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  deadlineMs = 15_000,
  context: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out waiting for ${what}${cause}\n${context()}`);
    }
    await sleep(50);
  }
}

/** Resolves with the first match of `pattern` in the output; fails if the process exits first. */
export function waitForOutput(
  proc: Running,
  pattern: RegExp,
  deadlineMs = 15_000,
): Promise<RegExpMatchArray> {
  return waitFor(
    `${pattern} in the output of pid ${proc.pid}`,
    () => {
      const match = proc.output().match(pattern);
      if (match) return match;
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
        throw new Error(`pid ${proc.pid} exited (${proc.child.exitCode ?? proc.child.signalCode})`);
      }
      return undefined;
    },
    deadlineMs,
    proc.output,
  );
}

/** The pids of the direct children of `pid` (cluster workers of a primary). */
export function childPids(pid: number): number[] {
  const result = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number);
}

/** True while a process with this pid exists (and is not a zombie we could reap). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export async function stopProcess(proc: Running, graceMs = 5000): Promise<void> {
  running.delete(proc);
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops every process started here, then kills any of `orphans` still alive, by pid. */
export async function stopAll(orphans: number[] = []): Promise<void> {
  await Promise.all([...running].map((proc) => stopProcess(proc)));
  for (const pid of orphans) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}
