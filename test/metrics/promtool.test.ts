import request from 'supertest';
import { instrumentedApp } from '../helpers/apps';
import { promtoolCheckMetrics } from '../helpers/promtool';
import { parseSamples } from '../helpers/exposition';

describe('exposition', () => {
  it('passes promtool check metrics with every metric type, labels to escape and process metrics: zero problems', async () => {
    const { app, metrics } = instrumentedApp({
      processMetrics: true,
      defaultLabels: { service: 'shop' },
    });
    app.get(
      '/items/:id',
      metrics.counter('item_views_total', 'Item views', {
        labels: { id: (req) => req.params.id as string },
      }),
      metrics.gauge('items_in_progress', 'Item requests in progress'),
      metrics.histogram('item_duration_seconds', 'Item time', { buckets: [0.01, 0.1, 1] }),
      metrics.summary('item_latency_seconds', 'Item latency', { percentiles: [0.5, 0.99] }),
      (_req, res) => {
        res.send('ok');
      },
    );
    metrics.info('shop_build_info', 'Build information', {
      version: '1.0.0',
      quoted: 'a "b" \\ c',
    });
    await request(app).get('/items/7').expect(200);
    await request(app).get('/items/line%0Abreak').expect(200);
    await request(app).get('/none').expect(404);
    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(parseSamples(text).length).toBeGreaterThan(50);
    expect(parseSamples(text).find((s) => s.name === 'shop_build_info')?.labels.quoted).toBe(
      'a "b" \\ c',
    );
    expect(parseSamples(text).some((s) => s.labels.id === 'line\nbreak')).toBe(true);
    const result = promtoolCheckMetrics(text);
    if (result) expect(result).toEqual({ status: 0, output: '' });
    expect(text).toContain('nodejs_active_handles{');
    expect(text).not.toContain('nodejs_active_handles_total');
  });

  it('passes promtool check metrics with every metric type of ours: zero problems', async () => {
    const { app, metrics } = instrumentedApp({
      processMetrics: false,
      defaultLatencyAsHistogram: false,
    });
    app.get(
      '/a',
      metrics.counter('a_total', 'A'),
      metrics.gauge('a_in_progress', 'A running'),
      metrics.histogram('a_seconds', 'A time'),
      metrics.summary('a_latency_seconds', 'A latency'),
      (_req, res) => {
        res.send('a');
      },
    );
    metrics.info('a_info', 'A info', { v: '1' });
    await request(app).get('/a').expect(200);
    const text = (await request(app).get('/metrics').expect(200)).text;
    const result = promtoolCheckMetrics(text);
    if (result) expect(result).toEqual({ status: 0, output: '' });
  });
});
