// Aggregation rules and misuse, in this (non-cluster) process; real clusters are in
// cluster-metrics.test.ts.
import express from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { SpectrometerError } from '../../src/errors';
import { PrometheusMetrics } from '../../src/metrics/prometheus-metrics';
import {
  aggregateFamilies,
  ClusterAggregator,
  shareWorkerMetrics,
} from '../../src/metrics/cluster';
import { workersFamily } from '../../src/metrics/cluster-aggregate';
import { fromWire, toWire, type Family } from '../../src/metrics/cluster-messages';
import { renderFamilies } from '../../src/metrics/exposition';
import { findSamples, sampleValue } from '../helpers/exposition';

/** A worker's registry after `requests` requests, one of them still in progress. */
async function workerRegistry(requests: number): Promise<Family[]> {
  const registry = new Registry();
  const app = express();
  const metrics = new PrometheusMetrics(app, { registry, processMetrics: false });
  const inProgress = metrics.gauge('jobs_in_progress', 'Jobs running');
  app.get('/job', metrics.counter('jobs_total', 'Jobs'), inProgress, (_req, res) => {
    res.send('ok');
  });
  for (let i = 0; i < requests; i++) await request(app).get('/job').expect(200);
  inProgress.metric.inc(); // one job still running in this worker
  return (await registry.getMetricsAsJSON()) as Family[];
}

describe('aggregateFamilies', () => {
  it('sums counters, histograms and in-progress gauges, and keeps info gauges at 1', async () => {
    const families = await aggregateFamilies([await workerRegistry(2), await workerRegistry(3)]);
    const { body } = renderFamilies(families);
    expect(sampleValue(body, 'jobs_total')).toBe(5);
    expect(sampleValue(body, 'jobs_in_progress')).toBe(2);
    const job = { method: 'GET', route: '/job', status: '200' };
    expect(sampleValue(body, 'express_http_request_duration_seconds_count', job)).toBe(5);
    expect(
      sampleValue(body, 'express_http_request_duration_seconds_bucket', { ...job, le: '+Inf' }),
    ).toBe(5);
    expect(findSamples(body, 'express_exporter_info').map((s) => s.value)).toEqual([1]);
  });

  it('takes the max of summary quantiles over the workers, and sums their _count and _sum', async () => {
    const worker = async (observations: number[]) => {
      const registry = new Registry();
      const metrics = new PrometheusMetrics(null, { registry, processMetrics: false });
      const summary = metrics.summary('job_seconds', 'Job time', { percentiles: [0.5] }).metric;
      for (const seconds of observations) summary.observe(seconds);
      return (await registry.getMetricsAsJSON()) as Family[];
    };
    const families = await aggregateFamilies([await worker([1, 1, 1]), await worker([3])]);
    const { body } = renderFamilies(families);
    expect(sampleValue(body, 'job_seconds', { quantile: '0.5' })).toBe(3);
    expect(sampleValue(body, 'job_seconds_count')).toBe(4);
    expect(sampleValue(body, 'job_seconds_sum')).toBe(6);
  });

  it('survives the IPC channel: NaN and infinities come back as numbers', () => {
    const family = workersFamily({ responded: 1, timed_out: 0, failed: 0 });
    const odd = {
      ...family,
      values: [NaN, Infinity, -Infinity].map((value) => ({ labels: {}, value })),
    };
    const sent = JSON.parse(JSON.stringify(toWire([odd]))) as ReturnType<typeof toWire>;
    expect(fromWire(sent)[0]?.values.map((v) => v.value)).toEqual([NaN, Infinity, -Infinity]);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('cluster misuse', () => {
  it('refuses shareWorkerMetrics outside a cluster worker with SPM_CLUSTER', () => {
    const metrics = new PrometheusMetrics(null, {
      registry: new Registry(),
      processMetrics: false,
    });
    const error = catchError(() => shareWorkerMetrics(metrics));
    expect(error).toBeInstanceOf(SpectrometerError);
    expect((error as SpectrometerError).code).toBe('SPM_CLUSTER');
    expect((error as SpectrometerError).message).toMatch(
      /in the primary use new ClusterAggregator/,
    );
  });

  it('rejects a timeout that is not a positive number', () => {
    for (const timeoutMs of [0, -1, NaN, Infinity]) {
      expect(() => new ClusterAggregator({ timeoutMs })).toThrow(
        /Cluster timeoutMs must be a positive number of milliseconds/,
      );
    }
  });

  it('answers an empty aggregate with zero workers when the primary has none', async () => {
    const aggregator = new ClusterAggregator();
    try {
      const scrape = await aggregator.collect();
      expect(scrape.workers).toEqual({ responded: 0, timed_out: 0, failed: 0 });
      const { body } = await aggregator.generateMetrics();
      expect(sampleValue(body, 'spectrometer_cluster_workers', { state: 'responded' })).toBe(0);
    } finally {
      await aggregator.close();
    }
  });
});
