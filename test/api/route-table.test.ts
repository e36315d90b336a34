import { buildRouteTable, type RouteEntry } from '../../src/api/request/route-table';

const ROUTES: Array<[string, string]> = [
  ['GET', '/pets/{petId}'],
  ['GET', '/pets/mine'],
  ['DELETE', '/pets/{id}'],
  ['POST', '/pets'],
  ['GET', '/pets/{petId}/photos/{photo-id}'],
  ['GET', '/files/{name}.{ext}'],
  ['GET', '/jobs/{id}:cancel'],
  ['HEAD', '/heads'],
  ['GET', '/heads'],
  ['PUT', '/a+b/(c)'],
  ['GET', '/'],
];
const entries: Array<RouteEntry<string>> = ROUTES.map(([method, template]) => ({
  method,
  template,
  value: `${method} ${template}`,
}));

describe('the route table', () => {
  const table = buildRouteTable(entries);
  const found = (method: string, path: string) => {
    const match = table.match(method, path);
    return match.kind === 'found' ? [match.value, { ...match.params }] : match;
  };

  it('prefers literal segments to templated ones, whatever the document order', () => {
    expect(found('GET', '/pets/mine')).toEqual(['GET /pets/mine', {}]);
    expect(found('GET', '/pets/3')).toEqual(['GET /pets/{petId}', { petId: '3' }]);
  });

  it('names parameters per operation on same-shaped paths', () => {
    expect(found('DELETE', '/pets/3')).toEqual(['DELETE /pets/{id}', { id: '3' }]);
    // DELETE on the literal path falls back to the templated one that has the method.
    expect(found('DELETE', '/pets/mine')).toEqual(['DELETE /pets/{id}', { id: 'mine' }]);
  });

  it('keeps the first of one method on same-shaped paths (the later one is unreachable)', () => {
    const twice = buildRouteTable([
      { method: 'GET', template: '/c/{id}', value: 'first' },
      { method: 'GET', template: '/c/{name}', value: 'second' },
    ]);
    expect(twice.match('GET', '/c/3')).toEqual({
      kind: 'found',
      value: 'first',
      params: { id: '3' },
    });
    // HEAD declared on a later same-shaped path answers HEAD there, GET stays with the first.
    const head = buildRouteTable([
      { method: 'GET', template: '/c/{id}', value: 'get' },
      { method: 'HEAD', template: '/c/{name}', value: 'head' },
    ]);
    expect(head.match('HEAD', '/c/3')).toEqual({
      kind: 'found',
      value: 'head',
      params: { name: '3' },
    });
  });

  it('decodes parameters, and says which cannot be decoded', () => {
    expect(found('GET', '/pets/a%20b/photos/p%2F1')).toEqual([
      'GET /pets/{petId}/photos/{photo-id}',
      { petId: 'a b', 'photo-id': 'p/1' },
    ]);
    expect(table.match('GET', '/pets/%E0%A4%A')).toEqual({ kind: 'undecodable', raw: '%E0%A4%A' });
  });

  it('splits segments that mix text and parameters', () => {
    expect(found('GET', '/files/report.tar.gz')).toEqual([
      'GET /files/{name}.{ext}',
      { name: 'report', ext: 'tar.gz' },
    ]);
    expect(found('GET', '/jobs/7:cancel')).toEqual(['GET /jobs/{id}:cancel', { id: '7' }]);
    expect(table.match('GET', '/files/noext')).toEqual({ kind: 'not-found' });
    expect(table.match('GET', '/jobs/:cancel')).toEqual({ kind: 'not-found' });
  });

  it('serves HEAD by GET unless the path declares HEAD', () => {
    expect(found('HEAD', '/pets/3')).toEqual(['GET /pets/{petId}', { petId: '3' }]);
    expect(found('HEAD', '/heads')).toEqual(['HEAD /heads', {}]);
  });

  it('lists the methods of a known path, HEAD with GET', () => {
    expect(table.match('PUT', '/pets/3')).toEqual({
      kind: 'method-not-allowed',
      allow: ['GET', 'DELETE', 'HEAD'],
    });
    expect(table.match('GET', '/pets')).toEqual({ kind: 'method-not-allowed', allow: ['POST'] });
  });

  it('takes literal characters literally, and no empty parameter', () => {
    expect(found('PUT', '/a+b/(c)')).toEqual(['PUT /a+b/(c)', {}]);
    expect(table.match('PUT', '/ab/(c)')).toEqual({ kind: 'not-found' });
    expect(table.match('GET', '/pets//photos/x')).toEqual({ kind: 'not-found' });
    expect(found('GET', '/')).toEqual(['GET /', {}]);
  });

  it("follows Express's default settings: any case, one optional trailing slash", () => {
    expect(found('GET', '/PETS/Mine/')).toEqual(['GET /pets/mine', {}]);
    expect(found('GET', '/pets/Rex/')).toEqual(['GET /pets/{petId}', { petId: 'Rex' }]);
    expect(table.match('GET', '/pets/3//')).toEqual({ kind: 'not-found' });
  });

  it('honours case-sensitive and strict routing', () => {
    const strict = buildRouteTable(entries, { caseSensitive: true, strict: true });
    expect(strict.match('GET', '/PETS/mine')).toEqual({ kind: 'not-found' });
    expect(strict.match('GET', '/pets/3/')).toEqual({ kind: 'not-found' });
    expect(strict.match('GET', '/pets/3')).toMatchObject({ kind: 'found' });
  });
});
