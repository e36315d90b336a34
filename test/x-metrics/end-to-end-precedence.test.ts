// Precedence of metrics settings: options in code > document-level x-metrics > built-in.
import request from 'supertest';
import { findSamples, sampleValue } from '../helpers/exposition';
import { bootFixture, scrape } from './end-to-end-apps';

const handlers = { getThing: () => ({ ok: true }) };

describe('x-metrics precedence end to end', () => {
  it('applies the document settings over the built-in defaults', async () => {
    const { app } = await bootFixture('precedence', { handlers });
    const before = await scrape(app);
    // Every label is fixed (default labels included), so the series exists before any request.
    const reads = { store: 'main', service: 'doc', zone: 'a' };
    expect(sampleValue(before, 'thing_reads_total', reads)).toBe(0);

    await request(app).get('/things/7').expect(200);
    const text = await scrape(app);
    expect(sampleValue(text, 'thing_reads_total', reads)).toBe(1);
    // prefix "doc", groupBy route (the Express route), latency summary, default labels.
    const labels = { method: 'GET', route: '/things/:thingId', status: '200', service: 'doc' };
    expect(
      sampleValue(text, 'doc_http_request_duration_seconds_count', { ...labels, zone: 'a' }),
    ).toBe(1);
    expect(text).toContain('# TYPE doc_http_request_duration_seconds summary');
    expect(findSamples(text, 'doc_http_request_duration_seconds_bucket')).toEqual([]);
    expect(text).not.toContain('express_http_request');
  });

  it('lets options in code win over the document, default labels merging by name', async () => {
    const { app } = await bootFixture('precedence', {
      handlers,
      metrics: { defaultsPrefix: 'code', groupBy: 'path', defaultLabels: { service: 'code' } },
    });
    await request(app).get('/things/7').expect(200);
    const text = await scrape(app);
    const labels = { method: 'GET', path: '/things/7', status: '200', service: 'code', zone: 'a' };
    expect(sampleValue(text, 'code_http_request_duration_seconds_count', labels)).toBe(1);
    // latency is not set in code, so the document's summary stays.
    expect(text).toContain('# TYPE code_http_request_duration_seconds summary');
    expect(
      sampleValue(text, 'thing_reads_total', { store: 'main', service: 'code', zone: 'a' }),
    ).toBe(1);
    expect(text).not.toContain('doc_http_request');
  });

  it('uses the built-in defaults when the document sets nothing', async () => {
    const { app } = await bootFixture('label-errors', {
      handlers: { listWidgets: () => [] },
      labelFunctions: { explode: () => 'kind' },
    });
    await request(app).get('/widgets').expect(200);
    const text = await scrape(app);
    const labels = { method: 'GET', operation: 'listWidgets', status: '200' };
    expect(sampleValue(text, 'express_http_request_duration_seconds_count', labels)).toBe(1);
    expect(text).toContain('# TYPE express_http_request_duration_seconds histogram');
  });
});
