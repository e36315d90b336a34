import { describeMetrics } from '../../src/x-metrics/describe';

const document = {
  'x-metrics': {
    prefix: '',
    latency: 'summary',
    groupBy: 'route',
    defaultLabels: { zone: { value: 'eu' } },
  },
  paths: {
    '/a': { get: { operationId: 'a', 'x-metrics': { track: false } }, post: { operationId: 'b' } },
  },
};

describe('describeMetrics', () => {
  it('lists the default metrics with the document prefix, latency type and group label', () => {
    const { problems, metrics } = describeMetrics(document);
    expect(problems).toEqual([]);
    expect(metrics.slice(0, 2)).toEqual([
      {
        name: 'http_request_duration_seconds',
        type: 'summary',
        labels: ['method', 'route', 'status', 'zone'],
        operations: ['b'],
        origin: 'default',
      },
      {
        name: 'http_request_total',
        type: 'counter',
        labels: ['method', 'status', 'zone'],
        operations: ['b'],
        origin: 'default',
      },
    ]);
  });

  it('uses the prefix given in code over the document', () => {
    const { metrics } = describeMetrics(document, { defaultsPrefix: 'shop' });
    expect(metrics[0]?.name).toBe('shop_http_request_duration_seconds');
  });
});
