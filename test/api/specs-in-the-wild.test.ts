import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi, type CreateApiOptions } from '../../src/api';
import { findSamples } from '../helpers/exposition';

const fixture = (name: string): string => join(__dirname, '..', 'fixtures', name, 'openapi.yaml');

async function boot(options: Omit<CreateApiOptions, 'metrics'>, warn = jest.fn()) {
  return createApi({
    missingHandler: 'mock',
    logger: { warn },
    metrics: { registry: new Registry(), processMetrics: false },
    ...options,
  });
}

describe('operations without an operationId', () => {
  it('are served under derived ids, listed in one logged warning', async () => {
    const warn = jest.fn();
    const api = await boot({ spec: fixture('derived-operation-ids') }, warn);
    expect(api.operations.map((op) => op.operationId)).toEqual(
      expect.arrayContaining(['getRoot', 'getPets2', 'getPets', 'getPetsById', 'getPetsById2']),
    );
    expect(api.warnings).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(
      /^spectrometer: - 5 operations have no operationId; derived: GET \/ → getRoot, GET \/pets → getPets2, /,
    );
    expect((await request(api.app).get('/').expect(200)).body).toEqual({ up: true });
  });

  it('take handlers keyed by the derived id', async () => {
    const api = await boot({
      spec: fixture('derived-operation-ids'),
      handlers: { getPetsById: ({ operationId, params }) => ({ operationId, id: params.id }) },
    });
    const res = await request(api.app).get('/pets/7').expect(200);
    expect(res.body).toEqual({ operationId: 'getPetsById', id: 7 });
  });

  it('label the default metrics and x-metrics with the derived id', async () => {
    const api = await boot({ spec: fixture('derived-operation-ids') });
    await request(api.app).get('/pets').expect(200);
    await request(api.app).get('/pets/7').expect(200);
    const text = (await request(api.app).get('/metrics').expect(200)).text;
    const operations = (name: string): string[] =>
      findSamples(text, name).map((sample) => sample.labels.operation as string);
    expect(operations('express_http_request_duration_seconds_count').sort()).toEqual([
      'getPets2',
      'getPetsById',
    ]);
    expect(findSamples(text, 'pet_listings_total')).toEqual([
      expect.objectContaining({ value: 1 }),
    ]);
  });

  it('are refused with strict: true', async () => {
    await expect(
      boot({ spec: fixture('derived-operation-ids'), strict: true }),
    ).rejects.toMatchObject({
      code: 'SPM_API_BOOT',
      problems: expect.arrayContaining([
        expect.objectContaining({
          path: '/pets',
          message: 'operation has no operationId',
          hint: 'add e.g. "operationId: getPets2"',
        }),
      ]),
    });
  });
});

describe('paths that differ only in parameter names', () => {
  it('are served when no method is on both, with a warning', async () => {
    const warn = jest.fn();
    const api = await boot({ spec: fixture('same-shaped-paths') }, warn);
    expect(api.warnings).toEqual([
      {
        path: '/orgs/{org}/items/{name}',
        pointer: '#/paths/~1orgs~1{org}~1items~1{name}',
        message:
          '/orgs/{org}/items/{name} is the same path as /orgs/{org}/items/{id} (only the parameter names differ); served, since no method is on more than one of them',
        hint: 'merge their operations into /orgs/{org}/items/{id}',
      },
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('route each method to its own operation, with its own parameter names', async () => {
    const seen: unknown[] = [];
    const api = await boot({
      spec: fixture('same-shaped-paths'),
      handlers: {
        getItem: ({ params }) => (seen.push(params), { by: 'id' }),
        deleteItem: ({ params }) => void seen.push(params),
      },
    });
    expect((await request(api.app).get('/orgs/acme/items/3').expect(200)).body).toEqual({
      by: 'id',
    });
    await request(api.app).delete('/orgs/acme/items/widget').expect(204);
    expect(seen).toEqual([
      { org: 'acme', id: 3 },
      { org: 'acme', name: 'widget' },
    ]);
  });

  it('with one method on both, are served in mock mode: the first path answers, a warning names the other', async () => {
    const warn = jest.fn();
    const api = await boot({ spec: fixture('same-shaped-paths-same-method') }, warn);
    expect(api.warnings).toEqual([
      {
        operationId: 'getItemByName',
        method: 'get',
        path: '/orgs/{org}/items/{name}',
        pointer: '#/paths/~1orgs~1{org}~1items~1{name}/get',
        message:
          'GET /orgs/{org}/items/{name} (operationId getItemByName) is never reached: GET /orgs/{org}/items/{id} (operationId getItem) answers its requests, since the paths differ only in parameter names (served, since getItemByName would only be mocked)',
        hint: 'merge the two operations, or give one of them another method or path',
      },
    ]);
    // The first path's operation, with its own parameter types: id is an integer there.
    await request(api.app).get('/orgs/acme/items/3').expect(200);
    await request(api.app).get('/orgs/acme/items/widget').expect(400);
    await request(api.app).delete('/orgs/acme/items/widget').expect(204);
    const scrape = await api.metrics.registry.metrics();
    const operations = findSamples(scrape, 'express_http_request_duration_seconds_count').map(
      (sample) => sample.labels.operation,
    );
    expect(operations).toEqual(expect.arrayContaining(['getItem', 'deleteItem']));
    expect(operations).not.toContain('getItemByName');
  });

  it('with one method on both, are refused when the unreachable operation has a handler, or under strict', async () => {
    const refused = (options: Partial<CreateApiOptions>) =>
      boot({ spec: fixture('same-shaped-paths-same-method'), ...options }).then(
        () => 'booted',
        (error: { code?: string; problems?: Array<{ operationId?: string }> }) =>
          `${error.code} ${error.problems?.map((p) => p.operationId).join()}`,
      );
    expect(await refused({ handlers: { getItemByName: () => ({}) } })).toBe(
      'SPM_SPEC_INVALID getItemByName',
    );
    expect(await refused({ strict: true })).toBe('SPM_SPEC_INVALID getItemByName');
  });

  it("answer other methods 405 with both paths' methods in Allow", async () => {
    const api = await boot({ spec: fixture('same-shaped-paths') });
    const res = await request(api.app).put('/orgs/acme/items/3').expect(405);
    expect(res.headers.allow).toBe('GET, DELETE, HEAD');
  });
});
