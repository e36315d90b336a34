import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createApi, type CreateApiOptions } from '../../src/api';
import { SpectrometerError } from '../../src/errors';
import { PETSTORE, petstoreLabelFunctions } from '../helpers/petstore';

const fixture = (name: string): string => join(__dirname, '..', 'fixtures', name, 'openapi.yaml');
const ok = (): unknown => ({});

async function bootError(options: CreateApiOptions): Promise<SpectrometerError> {
  try {
    await createApi({ metrics: { registry: new Registry(), processMetrics: false }, ...options });
  } catch (error) {
    if (error instanceof SpectrometerError) return error;
    throw error;
  }
  throw new Error('expected createApi to fail');
}

describe('createApi boot checks', () => {
  it('lists every operationId and handler problem in one error', async () => {
    const error = await bootError({
      spec: fixture('missing-operation-id'),
      handlers: { listPet: ok, getPet: ok, removePet: ok },
    });
    expect(error.code).toBe('SPM_API_BOOT');
    expect(error.problems).toEqual([
      {
        method: 'delete',
        path: '/pets/{petId}',
        operationId: 'listPets',
        pointer: '#/paths/~1pets~1{petId}/delete/operationId',
        message: 'operationId "listPets" is already used by GET /pets (#/paths/~1pets/get)',
        hint: 'operationIds must be unique',
      },
      {
        operationId: 'listPets',
        method: 'get',
        path: '/pets',
        pointer: '#/paths/~1pets/get',
        message: 'no handler for operationId "listPets"',
        hint: 'handlers has "listPet": a typo?',
      },
      {
        operationId: 'postPets',
        method: 'post',
        path: '/pets',
        pointer: '#/paths/~1pets/post',
        message: 'no handler for operationId "postPets"',
        hint: "add handlers.postPets (the id derived from POST /pets), or set missingHandler: 'not-implemented' or 'mock'",
      },
      {
        message: 'handler "listPet" matches no operationId of the spec',
        hint: 'did you mean "listPets"?',
      },
      {
        message: 'handler "removePet" matches no operationId of the spec',
        hint: 'known operationIds: listPets, postPets, getPet',
      },
    ]);
  });

  it('refuses operations without an operationId when strict, suggesting the derived id', async () => {
    const error = await bootError({
      spec: fixture('missing-operation-id'),
      handlers: { listPets: ok, getPet: ok },
      strict: true,
    });
    expect(error.problems.slice(0, 2)).toEqual([
      {
        method: 'post',
        path: '/pets',
        pointer: '#/paths/~1pets/post/operationId',
        message: 'operation has no operationId',
        hint: 'add e.g. "operationId: postPets"',
      },
      expect.objectContaining({
        message: expect.stringMatching(/^operationId "listPets" is already used/),
      }),
    ]);
    expect(error.message).toContain(
      '- #/paths/~1pets/post/operationId (POST /pets): operation has no operationId',
    );
  });

  it('refuses one method on two paths that differ only in parameter names, naming both', async () => {
    const error = await bootError({
      spec: fixture('same-shaped-paths-same-method'),
      handlers: { getItem: ok, getItemByName: ok, deleteItem: ok },
    });
    expect(error.code).toBe('SPM_SPEC_INVALID');
    expect(error.problems).toEqual([
      {
        operationId: 'getItemByName',
        method: 'get',
        path: '/orgs/{org}/items/{name}',
        pointer: '#/paths/~1orgs~1{org}~1items~1{name}/get',
        message:
          'GET /orgs/{org}/items/{name} (operationId getItemByName) could never be reached: GET /orgs/{org}/items/{id} (operationId getItem) takes its requests, since the paths differ only in parameter names',
        hint: 'merge the two operations, or give one of them another method or path',
      },
    ]);
  });

  it('refuses a security scheme without a handler and handlers for unknown schemes', async () => {
    const error = await bootError({
      spec: fixture('security-schemes'),
      handlers: { getOpen: ok, getEither: ok, getDefault: ok },
      security: { apikey: () => true, oauth: () => true },
    });
    expect(error.problems).toEqual([
      {
        pointer: '#/paths/~1either/get/security',
        operationId: 'getEither',
        method: 'get',
        path: '/either',
        message: 'security scheme "apiKey" has no handler, so requests could not be authenticated',
        hint: 'add security.apiKey: (ctx, scopes) => boolean',
      },
      {
        pointer: '#/paths/~1either/get/security',
        operationId: 'getEither',
        method: 'get',
        path: '/either',
        message: 'security scheme "tenant" has no handler, so requests could not be authenticated',
        hint: 'add security.tenant: (ctx, scopes) => boolean',
      },
      {
        message: 'security handler "apikey" matches no security scheme of the spec',
        hint: 'did you mean "apiKey"?',
      },
    ]);
  });

  it('refuses a security scheme without a handler when operations have handlers or answer 501', async () => {
    for (const missingHandler of ['error', 'not-implemented'] as const) {
      const error = await bootError({ spec: fixture('mock-security'), missingHandler });
      const messages = error.problems.map((problem) => problem.message);
      expect(messages).toContain(
        'security scheme "bearerAuth" has no handler, so requests could not be authenticated',
      );
    }
  });

  it('mocks security schemes without a handler in mock mode, with one warning naming them', async () => {
    const warn = jest.fn();
    const api = await createApi({
      spec: fixture('mock-security'),
      missingHandler: 'mock',
      security: { basicAuth: () => true },
      logger: { warn },
      metrics: { registry: new Registry(), processMetrics: false },
    });
    const warning = {
      message:
        'security schemes "headerKey", "queryKey", "cookieKey", "bearerAuth", "oauth" have no handler: mocked, any request carrying the credential a scheme asks for is let in',
      hint: 'add security.headerKey: (ctx, scopes) => boolean to check credentials',
    };
    expect(api.warnings).toEqual([warning]);
    expect(warn.mock.calls).toEqual([[`spectrometer: - ${warning.message} (${warning.hint})`]]);
  });

  it('allows missing handlers with missingHandler not-implemented or mock', async () => {
    for (const missingHandler of ['not-implemented', 'mock'] as const) {
      const api = await createApi({
        spec: PETSTORE,
        missingHandler,
        security: { bearerAuth: () => true },
        labelFunctions: petstoreLabelFunctions,
        metrics: { registry: new Registry(), processMetrics: false },
      });
      expect(api.operations).toHaveLength(7);
    }
  });

  it('lists the problems of an invalid spec and of the handlers in one error', async () => {
    const error = await bootError({
      spec: fixture('invalid-spec'),
      handlers: { listPet: () => [] },
    });
    expect(error.code).toBe('SPM_SPEC_INVALID');
    const found = error.problems.map((p) => `${p.pointer ?? '-'} ${p.message}`);
    expect(found).toEqual(
      expect.arrayContaining([
        '#/info missing required property "version"',
        '#/paths/~1pets/get no handler for operationId "listPets"',
        '- handler "listPet" matches no operationId of the spec',
      ]),
    );
  });

  it('rejects options of the wrong shape', async () => {
    const error = await bootError({
      spec: fixture('security-schemes'),
      missingHandler: 'ignore' as never,
    });
    expect(error.code).toBe('SPM_INVALID_OPTION');
    expect(error.message).toBe(
      'missingHandler must be one of error, not-implemented, mock, got "ignore"',
    );
  });

  it('rejects an app, basePath or bodyLimit of the wrong type', async () => {
    const spec = fixture('security-schemes');
    const cases: Array<[object, RegExp]> = [
      [{ app: {} }, /^app must be an Express application/],
      [{ basePath: 5 }, /^basePath must be a string/],
      [
        { validation: { bodyLimit: {} } },
        /^validation\.bodyLimit must be a number of bytes or a string/,
      ],
    ];
    for (const [option, message] of cases) {
      const error = await bootError({ spec, ...option } as never);
      expect({ code: error.code, message: error.message }).toEqual({
        code: 'SPM_INVALID_OPTION',
        message: expect.stringMatching(message),
      });
    }
  });

  it('rejects misspelt options, with a did-you-mean, instead of ignoring them', async () => {
    const spec = fixture('security-schemes');
    const typo = await bootError({ spec, securty: {} } as never);
    expect(typo.code).toBe('SPM_INVALID_OPTION');
    expect(typo.message).toMatch(/^Unknown createApi option "securty": did you mean "security"\?/);
    const nested = await bootError({ spec, validation: { respones: true } } as never);
    expect(nested.message).toMatch(
      /^Unknown validation option "respones": did you mean "responses"\? \(known: requests, responses, /,
    );
  });
});
