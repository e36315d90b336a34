'use strict';
// Handlers of specs/petstore.yaml, keyed by operationId, with its security handlers and label
// functions. Also usable with the CLI, which reads the same three exports:
//   npx spectrometer serve specs/petstore.yaml --handlers examples/petstore/handlers.js
const { reply, noContent, isReply, HttpProblem } = require('spectrometer');
const { createStore } = require('./store');

const store = createStore();

// A 1x1 transparent PNG, served as every pet's photo.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

function findPet(id) {
  const pet = store.get(id);
  if (!pet)
    throw new HttpProblem({ status: 404, title: 'Pet Not Found', detail: `no pet with id ${id}` });
  return pet;
}

const handlers = {
  // ctx.query.limit is already an integer (coerced, default 20 from the spec).
  listPets: ({ query }) => {
    const pets = store.list(query);
    return reply(pets, { headers: { 'X-Total-Count': String(pets.length) } });
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
const security = {
  bearerAuth: ({ headers }) => headers.authorization === 'Bearer demo-token',
};

// Label functions of the spec's x-metrics, keyed by the name its `{ fn: <name> }` labels use.
// petKind labels petstore_pet_lookups_total (getPet) by what the handler returned (its body when
// it returned a reply()): a pet's kind from its tag (a few values, never the raw tag), or `none`
// for a problem such as a 404.
const KINDS = { dog: 'mammal', cat: 'mammal', fish: 'fish' };
const labelFunctions = {
  petKind: ({ result }) => {
    const body = isReply(result) ? result.body : result;
    const isPet = typeof body === 'object' && body !== null && 'id' in body;
    return isPet ? KINDS[body.tag] || 'other' : 'none';
  },
};

module.exports = { handlers, security, labelFunctions };
