import cluster from 'node:cluster';
import { bootApi } from './boot-api';
import { readMetricsToken } from './metrics-token';
import { formatHelp } from './help';
import { parseServeArgs, type ServeArgs } from './serve-args';
import { servePrimary, serveWorker } from './serve-cluster';
import { closeServer, originOf, STOP_GRACE_MS, waitForSignal } from './server-lifecycle';
import { listenWithTimeouts } from './server-timeouts';

/**
 * `spectrometer serve <spec>`: boots the API, prints where it and `/metrics` are, and stops
 * cleanly on SIGINT/SIGTERM. Without `--handlers` every operation answers 501 (or its examples
 * with `--mock`); with it, operations without a handler are a boot error unless `--mock`.
 * `--workers N` forks N cluster workers sharing the port; `/metrics` on any of them answers the
 * aggregate of all workers. The server uses `SERVER_TIMEOUTS` (headers, request, keep-alive);
 * handlers get `--handler-timeout` ms to answer; `--metrics-token-env NAME` protects `/metrics`.
 * @example
 * await serve(['specs/petstore.yaml', '--mock', '--port', '0'])
 */
export async function serve(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(formatHelp('serve'));
    return 0;
  }
  const args = parseServeArgs(argv);
  // Checked before any boot or fork: a missing token is a usage error, not a worker crash loop.
  if (args.metricsTokenEnv) readMetricsToken(args.metricsTokenEnv);
  if (args.workers === undefined) return serveOne(args);
  return cluster.isWorker ? serveWorker(args) : servePrimary(args, argv);
}

async function serveOne(args: ServeArgs): Promise<number> {
  const api = await bootApi(args);
  const server = await listenWithTimeouts(api.app, args.port, args.host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : args.port;
  const origin = originOf(args.host, port);
  console.log(`spectrometer: ${api.document.info.title} on ${origin}${api.basePath || '/'}`);
  console.log(`spectrometer: metrics on ${origin}/metrics`);
  if (args.docs !== false) console.log(`spectrometer: docs on ${origin}${api.basePath}/docs`);
  await waitForSignal((signal) =>
    console.log(
      `spectrometer: ${signal}, stopping (open requests get ${STOP_GRACE_MS / 1000} s to finish)`,
    ),
  );
  await closeServer(server);
  return 0;
}
