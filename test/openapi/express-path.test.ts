import { toExpressPath, toPathRegExp } from '../../src/openapi/express-path';

describe('toExpressPath', () => {
  it('turns templates into Express 5 route paths', () => {
    expect(toExpressPath('/pets/{petId}')).toBe('/pets/:petId');
    expect(toExpressPath('/a/{x}/b/{y}')).toBe('/a/:x/b/:y');
    expect(toExpressPath('/pets/{pet-id}')).toBe('/pets/:"pet-id"');
    expect(toExpressPath('/files/{name}.json')).toBe('/files/:name.json');
    expect(toExpressPath('/v1:batch')).toBe('/v1\\:batch');
  });
});

describe('toPathRegExp', () => {
  it('matches one segment per parameter', () => {
    expect(toPathRegExp('/pets/{petId}').test('/pets/3')).toBe(true);
    expect(toPathRegExp('/pets/{petId}').test('/pets/3/card')).toBe(false);
    expect(toPathRegExp('/pets').test('/pets/')).toBe(true);
  });
});
