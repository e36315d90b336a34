import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi, type CreateApiOptions, type Handlers } from '../../src/api';
import { HttpProblem } from '../../src/api/response/http-problem';
import { reply, noContent } from '../../src/api/response/reply';
import { PETSTORE, petstoreLabelFunctions } from '../helpers/petstore';

const PROBLEM = 'application/problem+json';

interface Pet {
  id: number;
  name: string;
  tag?: string;
}

function createHandlers(): Handlers {
  const pets = new Map<number, Pet>([
    [1, { id: 1, name: 'Rex', tag: 'dog' }],
    [2, { id: 2, name: 'Tom', tag: 'cat' }],
  ]);
  const find = (id: unknown): Pet => {
    const pet = pets.get(id as number);
    if (!pet) throw new HttpProblem({ status: 404, detail: `no pet ${String(id)}` });
    return pet;
  };
  return {
    listPets: ({ query }) => [...pets.values()].slice(0, query.limit as number),
    createPet: ({ body }) => {
      const pet = { id: pets.size + 1, ...(body as Omit<Pet, 'id'>) };
      pets.set(pet.id, pet);
      return reply(pet, { headers: { Location: `/v1/pets/${pet.id}` } });
    },
    getPet: ({ params }) => find(params.petId),
    deletePet: ({ params }) => {
      find(params.petId);
      pets.delete(params.petId as number);
      return noContent();
    },
    getPetCard: ({ params }) => {
      const pet = find(params.petId);
      return `${pet.name} (${pet.tag ?? 'pet'})`;
    },
    getPetPhoto: ({ params }) => {
      find(params.petId);
      return Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    },
    getHealth: () => 'ok',
  };
}

const bearerAuth = (ctx: { headers: Record<string, unknown> }): boolean =>
  ctx.headers.authorization === 'Bearer s3cret';

function bootPetstore(overrides: Partial<CreateApiOptions> = {}): ReturnType<typeof createApi> {
  return createApi({
    spec: PETSTORE,
    handlers: createHandlers(),
    security: { bearerAuth },
    labelFunctions: petstoreLabelFunctions,
    metrics: { registry: new Registry(), processMetrics: false },
    ...overrides,
  });
}

describe('createApi with the petstore', () => {
  it('routes by operationId under the base path of servers[0].url with coerced parameters', async () => {
    const { app, basePath } = await bootPetstore();
    expect(basePath).toBe('/v1');
    const list = await request(app).get('/v1/pets?limit=1').expect(200);
    expect(list.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(list.body).toEqual([{ id: 1, name: 'Rex', tag: 'dog' }]);
    const pet = await request(app).get('/v1/pets/2').expect(200);
    expect(pet.body).toEqual({ id: 2, name: 'Tom', tag: 'cat' });
  });

  it('applies query defaults declared in the spec', async () => {
    const seen: unknown[] = [];
    const handlers = {
      ...createHandlers(),
      listPets: ({ query }: { query: Record<string, unknown> }) => (seen.push(query.limit), []),
    };
    const { app } = await bootPetstore({ handlers });
    await request(app).get('/v1/pets').expect(200);
    expect(seen).toEqual([20]);
  });

  it('creates with 201 and Location, deletes with 204', async () => {
    const { app } = await bootPetstore();
    const created = await request(app)
      .post('/v1/pets')
      .set('Authorization', 'Bearer s3cret')
      .send({ name: 'Kitty', tag: 'cat' })
      .expect(201);
    expect(created.headers.location).toBe('/v1/pets/3');
    expect(created.body).toEqual({ id: 3, name: 'Kitty', tag: 'cat' });
    const deleted = await request(app)
      .delete('/v1/pets/3')
      .set('Authorization', 'Bearer s3cret')
      .expect(204);
    expect(deleted.text).toBe('');
    await request(app).get('/v1/pets/3').expect(404);
  });

  it('answers text and binary responses with the declared media types', async () => {
    const { app } = await bootPetstore();
    const card = await request(app).get('/v1/pets/1/card').expect(200);
    expect(card.headers['content-type']).toMatch(/^text\/plain/);
    expect(card.text).toBe('Rex (dog)');
    const photo = await request(app)
      .get('/v1/pets/1/photo')
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect([...(photo.body as Buffer)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('answers HEAD with the GET operation and no body', async () => {
    const { app } = await bootPetstore();
    const head = await request(app).head('/v1/pets/1').expect(200);
    expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(head.text).toBeUndefined();
  });

  it('turns an HttpProblem thrown by a handler into a problem response', async () => {
    const { app } = await bootPetstore();
    const res = await request(app).get('/v1/pets/99').expect(404);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no pet 99',
    });
  });

  it("keeps an HttpProblem's instance and refuses statuses that are not errors", () => {
    const problem = new HttpProblem({ status: 409, detail: 'taken', instance: '/v1/pets/7' });
    expect(problem.toJSON()).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'taken',
      instance: '/v1/pets/7',
    });
    expect(() => new HttpProblem({ status: 200 })).toThrow(
      new RangeError('HttpProblem status must be 400-599, got 200'),
    );
  });
});

describe('createApi errors are problems', () => {
  it('answers 400 with every validation issue and its location', async () => {
    const { app } = await bootPetstore();
    const res = await request(app)
      .post('/v1/pets')
      .set('Authorization', 'Bearer s3cret')
      .send({ tag: 7, color: 'red' })
      .expect(400);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.body).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        {
          in: 'body',
          pointer: '/name',
          message: "must have required property 'name'",
          keyword: 'required',
        },
        { in: 'body', pointer: '/tag', message: 'must be string', keyword: 'type' },
        {
          in: 'body',
          pointer: '/color',
          message: 'must NOT have additional properties',
          keyword: 'additionalProperties',
        },
      ]),
    );
    expect(res.body.errors).toHaveLength(3);
  });

  it('reports parameter issues in path and query', async () => {
    const { app } = await bootPetstore();
    const res = await request(app).get('/v1/pets?limit=500&tag=').expect(400);
    expect(res.body.errors).toEqual([
      {
        in: 'query',
        pointer: '/tag',
        message: "empty value for query parameter 'tag'",
        keyword: 'allowEmptyValue',
      },
      { in: 'query', pointer: '/limit', message: 'must be <= 100', keyword: 'maximum' },
    ]);
    const path = await request(app).get('/v1/pets/abc').expect(400);
    expect(path.body.errors).toEqual([
      { in: 'path', pointer: '/petId', message: 'must be integer', keyword: 'type' },
    ]);
  });

  it('rejects unknown query parameters', async () => {
    const { app } = await bootPetstore();
    const res = await request(app).get('/v1/pets?color=red').expect(400);
    expect(res.body.errors).toEqual([
      {
        in: 'query',
        pointer: '/color',
        message: "unknown query parameter 'color'",
        keyword: 'unknown',
      },
    ]);
  });

  it('answers malformed JSON with 400', async () => {
    const { app } = await bootPetstore();
    const res = await request(app)
      .post('/v1/pets')
      .set('Authorization', 'Bearer s3cret')
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.body).toMatchObject({ status: 400, detail: 'the request body is not valid JSON' });
    expect(res.body.errors[0]).toMatchObject({ in: 'body', pointer: '', keyword: 'json' });
  });

  it('answers 415 for an undeclared media type and 413 for a body over the limit', async () => {
    const { app } = await bootPetstore({ validation: { bodyLimit: 64 } });
    const unsupported = await request(app)
      .post('/v1/pets')
      .set('Authorization', 'Bearer s3cret')
      .set('Content-Type', 'application/xml')
      .send('<pet/>')
      .expect(415);
    expect(unsupported.headers['content-type']).toBe(PROBLEM);
    expect(unsupported.body).toMatchObject({ title: 'Unsupported Media Type', status: 415 });
    const large = await request(app)
      .post('/v1/pets')
      .set('Authorization', 'Bearer s3cret')
      .send({ name: 'x'.repeat(100) })
      .expect(413);
    expect(large.body).toEqual({
      type: 'about:blank',
      title: 'Payload Too Large',
      status: 413,
      detail: 'the request body is larger than the limit of 64 bytes',
    });
  });

  it('answers 404 problems for unknown paths, under the base path and outside it', async () => {
    const { app } = await bootPetstore();
    const res = await request(app).get('/v1/owners').expect(404);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'no operation at /v1/owners',
    });
    // createApi made this app, so nothing in it answers with Express's HTML page (a user's own
    // app keeps Express's answers outside the API: test/api/end-of-app.test.ts).
    const outside = await request(app).get('/elsewhere').expect(404);
    expect(outside.headers['content-type']).toBe(PROBLEM);
    expect(outside.body).toMatchObject({ status: 404, detail: 'no operation at /elsewhere' });
  });

  it('answers 405 with an Allow header listing every method of the path', async () => {
    const { app } = await bootPetstore();
    const res = await request(app).put('/v1/pets/1').expect(405);
    expect(res.headers.allow).toBe('GET, DELETE, HEAD');
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.body).toMatchObject({ status: 405, title: 'Method Not Allowed' });
  });

  it('answers 500 without the error message or stack', async () => {
    const handlers = {
      ...createHandlers(),
      getPet: () => {
        throw new Error('secret database password in message');
      },
    };
    const { app } = await bootPetstore({ handlers });
    const res = await request(app).get('/v1/pets/1').expect(500);
    expect(res.headers['content-type']).toBe(PROBLEM);
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The server failed to handle the request.',
    });
  });

  it('answers 501 for operations without handlers when missingHandler is not-implemented', async () => {
    const { app } = await bootPetstore({
      handlers: { getPet: () => ({ id: 1, name: 'Rex' }) },
      missingHandler: 'not-implemented',
    });
    const res = await request(app).get('/v1/pets').expect(501);
    expect(res.body).toEqual({
      type: 'about:blank',
      title: 'Not Implemented',
      status: 501,
      detail: 'operation listPets has no handler yet',
    });
    await request(app).get('/v1/pets/1').expect(200);
  });
});

describe('createApi security', () => {
  it('answers 401 with WWW-Authenticate when credentials are missing or rejected', async () => {
    const { app } = await bootPetstore();
    const missing = await request(app).post('/v1/pets').send({ name: 'x' }).expect(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(missing.body).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      detail: 'credentials are required',
    });
    const rejected = await request(app)
      .post('/v1/pets')
      .set('Authorization', 'Bearer wrong')
      .send({ name: 'x' })
      .expect(401);
    expect(rejected.body.detail).toBe('the credentials were rejected');
  });

  it('checks security before parsing or validating the body', async () => {
    const { app } = await bootPetstore();
    await request(app)
      .post('/v1/pets')
      .set('Content-Type', 'application/json')
      .send('{oops')
      .expect(401);
  });
});
