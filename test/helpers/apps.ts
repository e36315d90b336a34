import express, { type Application } from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { PrometheusMetrics, type PrometheusMetricsOptions } from '../../src';

/** A fresh app with an exporter on its own registry (no process metrics, to keep output small). */
export function instrumentedApp(options: PrometheusMetricsOptions = {}) {
  const app = express();
  const registry = new Registry();
  const metrics = new PrometheusMetrics(app, { registry, processMetrics: false, ...options });
  return { app, registry, metrics };
}

/** The text exposition of `app`'s metrics endpoint. */
export async function scrape(app: Application, path = '/metrics'): Promise<string> {
  const res = await request(app).get(path).expect(200);
  return res.text;
}

/** Resolves on the next turn of the event loop, after response listeners ran. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
