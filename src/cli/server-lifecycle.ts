import type { Server } from 'node:http';

/** The origin to print for a server on `host`:`port` (IPv6 hosts in brackets). */
export function originOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Resolves on the first SIGINT or SIGTERM. */
export function waitForSignal(onSignal?: (signal: NodeJS.Signals) => void): Promise<void> {
  return new Promise((resolveStop) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      onSignal?.(signal);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** How long requests still open at a stop may go on (an endless stream must not hold it up). */
export const STOP_GRACE_MS = 5_000;

/**
 * Stops accepting connections and resolves once the open ones are done; connections still busy
 * after `graceMs` are closed, which aborts their handlers' `ctx.signal`.
 */
export function closeServer(server: Server, graceMs = STOP_GRACE_MS): Promise<void> {
  return new Promise((done) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(cut);
      done();
    });
    server.closeIdleConnections();
  });
}
