import { checkPaths } from '../../src/openapi/check-paths';
import { listOperations } from '../../src/openapi/list-operations';

const ok = { '200': { description: 'ok' } };
const check = (paths: Record<string, object>) =>
  checkPaths(listOperations({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths }));

describe('checkPaths', () => {
  it('warns once per shape when same-shaped paths share no method', () => {
    const { problems, warnings } = check({
      '/c/{id}': { get: { responses: ok } },
      '/c/{name}': { put: { responses: ok } },
      '/c/{slug}': { delete: { responses: ok } },
    });
    expect(problems).toEqual([]);
    expect(warnings.map((warning) => warning.message)).toEqual([
      '/c/{name}, /c/{slug} are the same path as /c/{id} (only the parameter names differ); served, since no method is on more than one of them',
    ]);
  });

  it('serves HEAD on a later same-shaped path than a GET: HEAD requests go to the path declaring HEAD', () => {
    const { problems, warnings } = check({
      '/c/{id}': { get: { responses: ok } },
      '/c/{name}': { head: { responses: ok } },
    });
    expect(problems).toEqual([]);
    expect(warnings.map((warning) => warning.message)).toEqual([
      '/c/{name} is the same path as /c/{id} (only the parameter names differ); served, since no method is on more than one of them',
    ]);
  });

  it('serves HEAD on an earlier same-shaped path than a GET (it is routed first)', () => {
    const { problems } = check({
      '/c/{id}': { head: { responses: ok } },
      '/c/{name}': { get: { responses: ok } },
    });
    expect(problems).toEqual([]);
  });
});
