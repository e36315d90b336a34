import { readFileSync } from 'node:fs';
import express, { type Request } from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import {
  EXPRESS_OPENAPI_VALIDATOR,
  buildRouteMarker,
  createEov,
  exposeRouteToQueryParser,
  loadEov,
  responsesOf,
  type EovRequestValidator,
} from '../../src/adapters/express-openapi-validator';
import {
  EOV_RELIANCES,
  checkEov,
  requireEovModules,
  type EovClasses,
} from '../../src/adapters/express-openapi-validator-check';
import { SpectrometerError } from '../../src/errors';

// Each test pins one internal of express-openapi-validator that src/adapters relies on, on the
// installed version: a release that drops or changes it fails here, and at boot with SPM_DEPENDENCY.

const installed = (
  JSON.parse(readFileSync(require.resolve('express-openapi-validator/package.json'), 'utf8')) as {
    version: string;
  }
).version;
const classes = requireEovModules() as EovClasses;
// Not checked, so that each test below reports on its own internal.
const eov = createEov(classes);

const json = (schema: object) => ({ 'application/json': { schema } });
const createPet = {
  operationId: 'createPet',
  parameters: [
    { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
    { name: 'page[size]', in: 'query', schema: { type: 'integer' } },
  ],
  requestBody: {
    required: true,
    content: json({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }),
  },
  responses: {
    '201': {
      description: 'created',
      content: json({ type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }),
    },
  },
};
const document = {
  openapi: '3.0.3',
  info: { title: 'adapter', version: '1' },
  paths: { '/pets/{id}': { post: createPet } },
};
const setup = eov.createSetup({
  apiSpec: document,
  validateRequests: { allErrors: true },
  validateResponses: { allErrors: true },
});
const AJV_OPTIONS = setup.requestAjvOptions;

// An app validating POST /pets/:id the way createApi does: marked as routed, then validated.
function appWith(validator: EovRequestValidator, expose = false) {
  const app = express();
  // The validator's query parsing expects names as written (`page[size]`), as createApi gives it
  // them; Express 4's default parser would nest them first.
  app.set('query parser', 'simple');
  app.use(express.json());
  const markRouted = buildRouteMarker({
    expressRoute: '/pets/:id',
    openApiRoute: '/pets/{id}',
    schema: createPet,
  });
  app.post('/pets/:id', (req, res) => {
    markRouted(req);
    if (expose) {
      const query = req.query as object;
      exposeRouteToQueryParser(req, query);
      Object.defineProperty(req, 'query', { value: query, writable: true, configurable: true });
    }
    try {
      validator.validate(req, res);
      res.json({ params: req.params, query: req.query });
    } catch (error) {
      const { status, errors } = error as { status: number; errors: unknown };
      res.status(status).json({ errors });
    }
  });
  return app;
}

describe('express-openapi-validator internals', () => {
  it('declares the range package.json gives the dependency', () => {
    const pkg = JSON.parse(readFileSync(`${__dirname}/../../package.json`, 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(EXPRESS_OPENAPI_VALIDATOR.range).toBe(pkg.dependencies['express-openapi-validator']);
  });

  it.each(EOV_RELIANCES.modules.map((r) => [r.internal, r] as const))(
    'holds on the installed version: %s',
    (_name, reliance) => {
      expect(reliance.holds(requireEovModules())).toBe(true);
    },
  );

  it('has OpenApiValidator in dist/openapi.validator, whose ajvOpts give request and response options', () => {
    const validator = new classes.OpenApiValidator({
      apiSpec: document,
      validateRequests: { allErrors: true },
      validateResponses: { allErrors: true },
    });
    expect(validator.ajvOpts.request).toMatchObject({ allErrors: true });
    expect(validator.ajvOpts.response).toMatchObject({ allErrors: true });
  });

  it('has OpenApiValidator.prototype.multipartMiddleware(apiDoc), returning a middleware', () => {
    const validator = new classes.OpenApiValidator({ apiSpec: document });
    expect(typeof validator.multipartMiddleware(document)).toBe('function');
  });

  it('has RequestValidator with middlewareCache, ajv and ajvBody (getSchema, addSchema, formats)', () => {
    const validator = new classes.RequestValidator(document, AJV_OPTIONS);
    expect(validator.middlewareCache).toEqual({});
    for (const ajv of [validator.ajv, validator.ajvBody]) {
      expect(typeof ajv.getSchema).toBe('function');
      expect(typeof ajv.addSchema).toBe('function');
    }
    expect(Object.keys(validator.ajv.formats)).toEqual(expect.arrayContaining(['int32', 'date']));
  });

  it('has RequestValidator.prototype.buildMiddleware(path, schema, contentType, key), filing its ajv validators under key', () => {
    const validator = new classes.RequestValidator(document, AJV_OPTIONS);
    const key = 'POST-/pets/:id-application/json';
    const middleware = validator.buildMiddleware(
      '/pets/:id',
      createPet,
      new classes.ContentType('application/json'),
      key,
    );
    expect(typeof middleware).toBe('function');
    expect(typeof validator.ajv.getSchema(key)).toBe('function');
    expect(typeof validator.ajvBody.getSchema(key)).toBe('function');
  });

  it('files request validators under "<METHOD>-<expressRoute>-<normal content type>"', async () => {
    const validator = eov.createRequestValidator(document, AJV_OPTIONS);
    expect(validator.compiledFor('post', '/pets/:id', 'application/json')).toBeUndefined();
    await request(appWith(validator)).post('/pets/3').send({ name: 'Rex' }).expect(200);
    const compiled = validator.compiledFor('post', '/pets/:id', 'application/json');
    expect(compiled && compiled.body({ body: { name: 1 } })).toBe(false);
    expect(compiled && compiled.body({ body: { name: 'Rex' } })).toBe(true);
  });

  it('has RequestValidator.prototype.validate read the route from req.openapi, coercing parameters', async () => {
    const app = appWith(eov.createRequestValidator(document, AJV_OPTIONS));
    const ok = await request(app).post('/pets/3').send({ name: 'Rex' }).expect(200);
    expect(ok.body).toMatchObject({ params: { id: 3 } });
    const bad = await request(app).post('/pets/x').send({}).expect(400);
    expect((bad.body as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['/params/id', '/body/name']),
    );
  });

  it('has RequestParameterMutator read query parameter declarations from query._openapi (names with brackets stay names)', async () => {
    const validator = eov.createRequestValidator(document, AJV_OPTIONS);
    const exposed = await request(appWith(validator, true))
      .post('/pets/3?page[size]=5')
      .send({ name: 'Rex' })
      .expect(200);
    expect(exposed.body).toMatchObject({ query: { 'page[size]': 5 } });
    const hidden = await request(appWith(validator))
      .post('/pets/3?page[size]=5')
      .send({ name: 'Rex' });
    expect(hidden.body).not.toMatchObject({ query: { 'page[size]': 5 } });
  });

  it('has ResponseValidator._getOrBuildValidator(req, responses) and _validate(...) checking bodies by status', () => {
    const validator = new classes.ResponseValidator(document, setup.responseAjvOptions, {}, 0);
    const req = { method: 'POST', headers: {}, openapi: { expressRoute: '/pets/:id' } };
    const validators = validator._getOrBuildValidator(
      req as unknown as Request,
      createPet.responses,
    );
    const check = (body: unknown) => () =>
      validator._validate({
        validators,
        body,
        statusCode: 201,
        path: '/pets/3',
        accepts: ['application/json'],
      });
    expect(check({ id: 3 })).not.toThrow();
    expect(check({ id: 'x' })).toThrow(/id/);
  });

  it('has ResponseValidator.prototype.buildValidators(responses, key), throwing on uncompilable schemas', () => {
    const validator = new classes.ResponseValidator(document, setup.responseAjvOptions, {}, 0);
    const broken = { '200': { description: 'x', content: json({ type: 'nonsense' }) } };
    expect(() => validator.buildValidators(broken, 'broken')).toThrow();
    expect(() => validator.buildValidators(createPet.responses, 'fine')).not.toThrow();
  });

  it('has ContentType(header) with mediaType and normalize()', () => {
    const type = new classes.ContentType('Application/JSON; Charset=UTF-8');
    expect(type.mediaType).toBe('application/json');
    expect(type.normalize()).toBe('application/json; charset=utf-8');
    expect(new classes.ContentType(undefined).normalize()).toBeUndefined();
  });

  it('has OpenAPISchemaValidator in dist/framework/openapi.schema.validator, returning { errors }', () => {
    const validate = eov.createSchemaValidator('3.0.3');
    expect(validate(document)).toEqual([]);
    expect(validate({ ...document, info: {} }).length).toBeGreaterThan(0);
  });

  it('keeps the response document on the route marker', () => {
    const responseSchema = { responses: createPet.responses };
    const req = { params: {} } as Request;
    buildRouteMarker({ expressRoute: '/', openApiRoute: '/', schema: {}, responseSchema })(req);
    expect(responsesOf(req)).toBe(responseSchema);
  });
});

describe('checkEov', () => {
  const withoutMethod = (Class: unknown, method: string) => {
    const Stub = class extends (Class as new (...args: unknown[]) => object) {};
    Object.defineProperty(Stub.prototype, method, { value: undefined });
    return Stub;
  };

  it('accepts the installed modules', () => {
    expect(() => checkEov(requireEovModules())).not.toThrow();
    expect(() => loadEov()).not.toThrow();
  });

  it('refuses a version without RequestValidator.buildMiddleware: SPM_DEPENDENCY naming package, version and range', () => {
    const modules = {
      ...requireEovModules(),
      RequestValidator: withoutMethod(classes.RequestValidator, 'buildMiddleware'),
    };
    let error: unknown;
    try {
      checkEov(modules);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpectrometerError);
    expect((error as SpectrometerError).code).toBe('SPM_DEPENDENCY');
    expect((error as Error).message).toContain(
      `express-openapi-validator ${installed} is installed, but spectrometer supports express-openapi-validator ${EXPRESS_OPENAPI_VALIDATOR.range}`,
    );
    expect((error as SpectrometerError).problems.map((p) => p.message)).toEqual([
      'missing or changed: RequestValidator.prototype.buildMiddleware(path, reqSchema, contentType, ajvCacheKey)',
    ]);
  });

  it('lists every internal of a version whose dist files moved', () => {
    expect(() => checkEov({}, '6.0.0')).toThrow(
      expect.objectContaining({
        code: 'SPM_DEPENDENCY',
        message: expect.stringMatching(
          /^express-openapi-validator 6\.0\.0 is installed[^]*missing or changed: OpenApiValidator \(class\) from express-openapi-validator\/dist\/openapi\.validator[^]*ResponseValidator.prototype._getOrBuildValidator/,
        ),
      }),
    );
  });

  it('refuses a changed instance (no middlewareCache) with SPM_DEPENDENCY, not a TypeError', () => {
    const Stub = class extends classes.RequestValidator {
      constructor(apiDoc: object, options: object) {
        super(apiDoc, options);
        delete (this as { middlewareCache?: unknown }).middlewareCache;
      }
    };
    const eov = createEov({ ...classes, RequestValidator: Stub });
    expect(() => eov.createRequestValidator(document, AJV_OPTIONS)).toThrow(
      expect.objectContaining({
        code: 'SPM_DEPENDENCY',
        message: expect.stringContaining('RequestValidator#middlewareCache (object)'),
      }),
    );
  });

  it('makes createApi fail with SPM_DEPENDENCY when the installed package lacks an internal', async () => {
    const path = 'express-openapi-validator/dist/middlewares/openapi.response.validator';
    const actual = jest.requireActual<{ ResponseValidator: unknown }>(path);
    let createApi: typeof import('../../src').createApi = async () => {
      throw new Error('not loaded');
    };
    jest.isolateModules(() => {
      jest.doMock(path, () => ({
        ResponseValidator: withoutMethod(actual.ResponseValidator, '_getOrBuildValidator'),
      }));
      ({ createApi } = require('../../src') as typeof import('../../src'));
    });
    const booting = createApi({
      spec: document,
      handlers: { createPet: () => ({ id: 1 }) },
      metrics: { registry: new Registry(), processMetrics: false },
    });
    await expect(booting).rejects.toMatchObject({
      code: 'SPM_DEPENDENCY',
      message: expect.stringContaining(
        `missing or changed: ResponseValidator.prototype._getOrBuildValidator(req, responses)`,
      ),
    });
    jest.dontMock(path);
  });
});
