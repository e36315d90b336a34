import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi } from '../../src';
import { sampleValue } from '../helpers/exposition';

// Names the contract allows but promtool would advise against still boot and record.
describe('x-metrics naming advice', () => {
  it('boots a spec whose names only break promtool advice, and exposes counters as _total', async () => {
    const api = await createApi({
      spec: {
        openapi: '3.0.3',
        info: { title: 'advice', version: '1' },
        paths: {
          '/pets': {
            get: {
              operationId: 'listPets',
              'x-metrics': {
                metrics: [
                  { name: 'pet_lookups', type: 'counter', help: 'Lookups' },
                  { name: 'lookup_time', type: 'histogram', help: 'Time', buckets: [1] },
                  {
                    name: 'shop:pets_listed',
                    type: 'gauge',
                    help: 'Listed',
                    value: 'response.body.length',
                  },
                ],
              },
              responses: {
                '200': {
                  description: 'ok',
                  content: { 'application/json': { schema: { type: 'array' } } },
                },
              },
            },
          },
        },
      },
      handlers: { listPets: () => [1, 2] },
      metrics: { registry: new Registry(), processMetrics: false },
    });
    await request(api.app).get('/pets').expect(200);
    const text = (await request(api.app).get('/metrics').expect(200)).text;
    expect(sampleValue(text, 'pet_lookups_total')).toBe(1);
    expect(sampleValue(text, 'lookup_time_count')).toBe(1);
    expect(sampleValue(text, 'shop:pets_listed')).toBe(2);
  });
});
