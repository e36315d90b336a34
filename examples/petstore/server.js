'use strict';
// The demo: `npm run build && npm run demo`, then open http://127.0.0.1:8080/v1/pets
const path = require('node:path');
const { createApi } = require('spectrometer');
const { handlers, security, labelFunctions } = require('./handlers');

const port = Number(process.env.PORT || 8080);
const host = process.env.HOST || '127.0.0.1';

async function main() {
  const api = await createApi({
    spec: path.join(__dirname, '..', '..', 'specs', 'petstore.yaml'),
    handlers,
    security,
    labelFunctions, // the { fn: petKind } label of the spec's x-metrics
  });
  const server = await api.listen(port, host);
  console.log(
    `petstore API on http://${host}:${port}${api.basePath}/pets, metrics on http://${host}:${port}/metrics`,
  );
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
