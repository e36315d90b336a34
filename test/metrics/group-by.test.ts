import express from 'express';
import request from 'supertest';
import { sampleValue, findSamples } from '../helpers/exposition';
import { instrumentedApp, scrape } from '../helpers/apps';

const D = 'express_http_request_duration_seconds_count';

function nestedRoutes(app: express.Application) {
  const pets = express.Router();
  pets.get('/:id', function getPet(req, res) {
    res.json({ id: req.params.id });
  });
  const v1 = express.Router();
  v1.use('/pets', pets);
  app.use('/v1', v1);
}

describe('groupBy', () => {
  it("'route' labels by the Express route template including nested routers' baseUrl", async () => {
    const { app } = instrumentedApp();
    nestedRoutes(app);
    await request(app).get('/v1/pets/7').expect(200);
    await request(app).get('/v1/pets/8').expect(200);
    await request(app).get('/v1/nothing').expect(404);
    const text = await scrape(app);
    expect(sampleValue(text, D, { method: 'GET', route: '/v1/pets/:id', status: '200' })).toBe(2);
    expect(sampleValue(text, D, { method: 'GET', route: '__unmatched__', status: '404' })).toBe(1);
  });

  it("'path' labels by the raw request path, without the query string", async () => {
    const { app } = instrumentedApp({ groupBy: 'path' });
    nestedRoutes(app);
    await request(app).get('/v1/pets/7?x=1').expect(200);
    await request(app).get('/missing').expect(404);
    const text = await scrape(app);
    expect(sampleValue(text, D, { method: 'GET', path: '/v1/pets/7', status: '200' })).toBe(1);
    expect(sampleValue(text, D, { method: 'GET', path: '/missing', status: '404' })).toBe(1);
  });

  it("'endpoint' labels by the handler function's name", async () => {
    const { app } = instrumentedApp({ groupBy: 'endpoint' });
    nestedRoutes(app);
    await request(app).get('/v1/pets/7').expect(200);
    await request(app).get('/missing').expect(404);
    const text = await scrape(app);
    expect(sampleValue(text, D, { method: 'GET', endpoint: 'getPet', status: '200' })).toBe(1);
    expect(sampleValue(text, D, { method: 'GET', endpoint: '__unmatched__', status: '404' })).toBe(
      1,
    );
  });

  it('a named function names the label and computes its value', async () => {
    const { app } = instrumentedApp({
      groupBy: function tenant(req: express.Request) {
        return String(req.headers['x-tenant'] ?? 'anonymous');
      },
    });
    nestedRoutes(app);
    await request(app).get('/v1/pets/7').set('x-tenant', 'acme').expect(200);
    await request(app).get('/random/url').set('x-tenant', 'acme').expect(404);
    const text = await scrape(app);
    expect(sampleValue(text, D, { method: 'GET', tenant: 'acme', status: '200' })).toBe(1);
    expect(sampleValue(text, D, { method: 'GET', tenant: '__unmatched__', status: '404' })).toBe(1);
  });

  it("'operation' labels __unmatched__ outside spec mode", async () => {
    const { app } = instrumentedApp({ groupBy: 'operation' });
    nestedRoutes(app);
    await request(app).get('/v1/pets/7').expect(200);
    const text = await scrape(app);
    expect(findSamples(text, D).map((s) => s.labels.operation)).toEqual(['__unmatched__']);
  });

  it('rejects an anonymous function and unknown strings at definition time', () => {
    const anonymous = [() => 'x'][0] as never;
    expect(() => instrumentedApp({ groupBy: anonymous })).toThrow(/groupBy.*named function/);
    expect(() => instrumentedApp({ groupBy: 'url_rule' as never })).toThrow(
      /Option "groupBy" must be .* got "url_rule"/,
    );
  });
});
