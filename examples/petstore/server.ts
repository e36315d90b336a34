// The demo: `npm run demo` (builds the package and this example), then open
// http://127.0.0.1:8080/v1/pets
import { join } from 'node:path';
import { createApi } from 'spectrometer';
import type { Operations } from './api-types';
import { handlers, labelFunctions, security } from './handlers';

const port = Number(process.env.PORT || 8080);
const host = process.env.HOST || '127.0.0.1';

async function main(): Promise<void> {
  const api = await createApi<Operations>({
    // Compiled, this file runs from examples/petstore/dist/.
    spec: join(__dirname, '..', '..', '..', 'specs', 'petstore.yaml'),
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

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
