// Usage: PORT=nnnn node bench/api-server.js <variant>   (servers compared by bench/api-bench.mjs)
// variants: bare | hand-wired | spectrometer | spectrometer-report-0. Same routes, same spec (bench/api-spec.yaml).
'use strict';
const path = require('node:path');
const express = require('express');

const variant = process.argv[2] || 'bare';
const port = Number(process.env.PORT || 3000);
const spec = path.join(__dirname, 'api-spec.yaml');

function newApp() {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  return app;
}

const getPet = (id) => ({ id, name: 'rex', tag: 'dog' });
const createPet = (body) => ({ id: 42, name: body.name, tag: body.tag });

async function start() {
  let app;
  if (variant.startsWith('spectrometer')) {
    // The built package (npm run build), as users get it.
    const { createApi } = require('../dist/api');
    const api = await createApi({
      spec,
      app: newApp(),
      metrics: { processMetrics: false },
      ...(variant === 'spectrometer-report-0'
        ? { validation: { responses: { mode: 'report', sampleRate: 0 } } }
        : {}),
      handlers: {
        getPet: ({ params }) => getPet(params.id),
        createPet: ({ body }) => createPet(body),
      },
    });
    app = api.app;
  } else {
    app = newApp();
    if (variant === 'hand-wired') {
      const promBundle = require('express-prom-bundle');
      const OpenApiValidator = require('express-openapi-validator');
      app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));
      app.use(express.json());
      app.use(
        OpenApiValidator.middleware({
          apiSpec: spec,
          validateRequests: true,
          validateResponses: false,
        }),
      );
    } else {
      app.use(express.json());
    }
    app.get('/pets/:id', (req, res) => res.json(getPet(Number(req.params.id))));
    app.post('/pets', (req, res) => res.status(201).json(createPet(req.body)));
    app.use((err, req, res, _next) => res.status(err.status || 500).json({ message: err.message }));
  }
  app.listen(port, '127.0.0.1', () => console.log(`listening ${variant} on 127.0.0.1:${port}`));
}

start().catch((error) => {
  console.error(error);
  process.exit(1);
});

// Exit normally on signals, so `node --cpu-prof bench/api-server.js ...` writes its profile.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
