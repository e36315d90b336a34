import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';

/**
 * The Node server timeouts `serve` uses, in milliseconds, for an API facing the internet or a
 * load balancer (Node 20's own defaults in brackets):
 * - `headersTimeout` 10 s [60 s]: a client has 10 s to send its request headers, which take one
 *   packet; a slow-headers (Slowloris) client holds a connection 10 s instead of a minute.
 * - `requestTimeout` 60 s [300 s]: the whole request, body included; a 1 MB body (the default
 *   `bodyLimit`) arrives within it at 17 KB/s.
 * - `keepAliveTimeout` 65 s [5 s]: an idle connection stays open longer than the 60 s idle
 *   timeout of AWS load balancers and nginx, so they close it first, never racing a request onto
 *   a connection we are closing (which they answer with a 502).
 * - `connectionsCheckingInterval` 1 s [30 s]: how often the first two are checked.
 */
export const SERVER_TIMEOUTS = {
  headersTimeout: 10_000,
  requestTimeout: 60_000,
  keepAliveTimeout: 65_000,
  connectionsCheckingInterval: 1_000,
} as const satisfies ServerOptions;

/**
 * Starts an HTTP server for `listener` with {@link SERVER_TIMEOUTS}, resolving once it listens.
 * @example
 * const server = await listenWithTimeouts(api.app, 8080, '127.0.0.1');
 */
export function listenWithTimeouts(
  listener: RequestListener,
  port: number,
  host: string,
): Promise<Server> {
  return new Promise((resolveServer, reject) => {
    const server = createServer(SERVER_TIMEOUTS, listener);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveServer(server);
    });
  });
}
