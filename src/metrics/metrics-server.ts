import express, { type RequestHandler } from 'express';
import { createServer, type Server } from 'node:http';
import { SpectrometerError } from '../errors';
import { metricsHandler, type GenerateMetrics } from './metrics-endpoint';

/** Where the side-port metrics server listens. */
export interface MetricsServerOptions {
  /** Interface to bind. @default all interfaces (Node's default) */
  host?: string;
  /** Path of the metrics endpoint; other paths answer 404. @default '/metrics' */
  path?: string;
}

/** Starts a small, untracked Express server that only answers scrapes. */
export function startMetricsServer(
  port: number,
  options: MetricsServerOptions,
  middleware: RequestHandler[],
  generate: GenerateMetrics,
): Promise<Server> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SpectrometerError(
      'SPM_INVALID_OPTION',
      `Metrics port must be 0-65535, got ${JSON.stringify(port)}`,
    );
  }
  const path = options.path ?? '/metrics';
  const app = express();
  app.disable('x-powered-by');
  app.get(path, ...middleware, metricsHandler(generate));
  const server = createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
