import type { Application } from 'express';
import type { Server } from 'node:http';
import { PrometheusMetrics } from './prometheus-metrics';
import type { PrometheusMetricsOptions } from './types';

/** Options of `monitor`: the side port, plus any PrometheusMetrics option but `path`. */
export interface MonitorOptions extends Omit<PrometheusMetricsOptions, 'path'> {
  port: number;
  host?: string;
}

/** What `monitor` started. */
export interface Monitor {
  metrics: PrometheusMetrics;
  server: Server;
}

/**
 * The Flask-Prometheus one-liner: default metrics for `app`, served on their own port only.
 * @example await monitor(app, { port: 9100 });
 */
export async function monitor(app: Application, options: MonitorOptions): Promise<Monitor> {
  const { port, host, ...rest } = options;
  const metrics = new PrometheusMetrics(app, { ...rest, path: null });
  const server = await metrics.startHttpServer(port, { host });
  return { metrics, server };
}
