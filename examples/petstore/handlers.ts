// Handlers of specs/petstore.yaml, keyed by operationId and typed from it (api-types.ts, written
// by `spectrometer types`), with its security handlers and label functions. Also usable with the
// CLI, which reads the same three exports from the compiled module (`npm run build:examples`):
//   npx spectrometer serve specs/petstore.yaml --handlers examples/petstore/dist/handlers.js
import { HttpProblem, isReply, noContent, reply } from 'spectrometer';
import type { ApiLabelFunction, SecurityHandlers, TypedHandlers } from 'spectrometer';
import type { Operations } from './api-types';
import { createStore, type Pet } from './store';

const store = createStore();

// A 1x1 transparent PNG, served as every pet's photo.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

function findPet(id: number): Pet {
  const pet = store.get(id);
  if (!pet)
    throw new HttpProblem({ status: 404, title: 'Pet Not Found', detail: `no pet with id ${id}` });
  return pet;
}

// Each handler's ctx and result are checked against its operation: params.petId is a number,
// createPet's body a NewPet, and a result must be a body (or reply) the operation declares.
export const handlers: TypedHandlers<Operations> = {
  // ctx.query.limit is already an integer (coerced, default 20 from the spec).
  listPets: ({ query }) => {
    const pets = store.list(query);
    return reply(pets, { status: 200, headers: { 'X-Total-Count': String(pets.length) } });
  },
  createPet: ({ body }) => {
    const pet = store.add(body);
    return reply(pet, { status: 201, headers: { Location: `/v1/pets/${pet.id}` } });
  },
  getPet: ({ params }) => findPet(params.petId),
  deletePet: ({ params }) => {
    findPet(params.petId);
    store.remove(params.petId);
    return noContent();
  },
  getPetCard: ({ params }) => {
    const pet = findPet(params.petId);
    return `${pet.name} (${pet.tag || 'pet'})`;
  },
  getPetPhoto: ({ params }) => {
    findPet(params.petId);
    return PHOTO;
  },
  getHealth: () => 'ok',
};

// Demo credentials: "Authorization: Bearer demo-token" may create and delete pets.
export const security: SecurityHandlers = {
  bearerAuth: ({ headers }) => headers.authorization === 'Bearer demo-token',
};

// Label functions of the spec's x-metrics, keyed by the name its `{ fn: <name> }` labels use.
// petKind labels petstore_pet_lookups_total (getPet) by what the handler returned (its body when
// it returned a reply()): a pet's kind from its tag (a few values, never the raw tag), or `none`
// for a problem such as a 404.
const KINDS: Record<string, string> = { dog: 'mammal', cat: 'mammal', fish: 'fish' };
const isPet = (body: unknown): body is Pet =>
  typeof body === 'object' && body !== null && 'id' in body;

export const labelFunctions: Record<string, ApiLabelFunction> = {
  petKind: ({ result }) => {
    const body = isReply(result) ? result.body : result;
    return isPet(body) ? (body.tag && KINDS[body.tag]) || 'other' : 'none';
  },
};
