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

/** Stops accepting connections and resolves once the open ones are done. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeIdleConnections();
  });
}
