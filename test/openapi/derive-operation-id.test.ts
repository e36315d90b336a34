import { join } from 'node:path';
import { deriveOperationId } from '../../src/openapi/derive-operation-id';
import { inspectSpec, loadSpec } from '../../src/openapi/load-spec';

const fixture = (name: string): string => join(__dirname, '..', 'fixtures', name, 'openapi.yaml');

describe('deriveOperationId', () => {
  it('joins the method and the words of the path, parameters as By<Name>', () => {
    expect(deriveOperationId('get', '/pets/{id}')).toBe('getPetsById');
    expect(deriveOperationId('get', '/orgs/{org}/items/{item-id}')).toBe(
      'getOrgsByOrgItemsByItemId',
    );
    expect(deriveOperationId('delete', '/pet_store/v2/{petId}')).toBe('deletePetStoreV2ByPetId');
    expect(deriveOperationId('get', '/files/{name}.{ext}')).toBe('getFilesByNameByExt');
  });

  it('names the root path Root', () => {
    expect(deriveOperationId('get', '/')).toBe('getRoot');
  });
});

describe('listing operations without an operationId', () => {
  it('derives unique ids, numbered after explicit and earlier derived ones', async () => {
    const { operations } = await loadSpec(fixture('derived-operation-ids'));
    expect(
      operations.map((op) => [op.method, op.path, op.operationId, !!op.derivedOperationId]),
    ).toEqual([
      ['get', '/', 'getRoot', true],
      ['get', '/pets', 'getPets2', true],
      ['get', '/animals', 'getPets', false],
      ['get', '/pets/{id}', 'getPetsById', true],
      ['get', '/pets-by-id', 'getPetsById2', true],
      ['delete', '/orgs/{org}/items/{item-id}', 'deleteOrgsByOrgItemsByItemId', true],
    ]);
  });

  it('writes the derived ids into the document, where x-metrics reads them', async () => {
    const { document, operations } = await loadSpec(fixture('derived-operation-ids'));
    expect(document.paths['/pets']?.get?.operationId).toBe('getPets2');
    expect(operations[1]?.operation.operationId).toBe('getPets2');
  });

  it('gives each path its own id when paths share one path item', async () => {
    const item = { get: { responses: { '200': { description: 'ok' } } } };
    const { document, operations } = await loadSpec({
      openapi: '3.0.3',
      info: { title: 'shared', version: '1' },
      paths: {
        '/a': { $ref: '#/components/x-items/shared' },
        '/b': { $ref: '#/components/x-items/shared' },
      },
      components: { 'x-items': { shared: item } },
    });
    expect(operations.map((op) => op.operationId)).toEqual(['getA', 'getB']);
    expect([
      document.paths['/a']?.get?.operationId,
      document.paths['/b']?.get?.operationId,
    ]).toEqual(['getA', 'getB']);
  });

  it('warns once, listing every derived id', async () => {
    const { warnings } = await inspectSpec(fixture('derived-operation-ids'));
    expect(warnings).toEqual([
      {
        message:
          '5 operations have no operationId; derived: GET / → getRoot, GET /pets → getPets2, GET /pets/{id} → getPetsById, GET /pets-by-id → getPetsById2, DELETE /orgs/{org}/items/{item-id} → deleteOrgsByOrgItemsByItemId',
        hint: expect.stringContaining('handlers and metrics use the derived ids'),
      },
    ]);
  });
});
