// An in-memory pet store: the "database" of the demo. Its pets are the spec's own schemas.
import type { components } from './api-types';

export type Pet = components['schemas']['Pet'];
export type NewPet = components['schemas']['NewPet'];

/** What listPets may filter by: its query parameters. */
export interface PetFilter {
  limit?: number;
  tag?: string;
}

/** The pets of one process, by id. */
export interface Store {
  list(filter: PetFilter): Pet[];
  get(id: number): Pet | undefined;
  add(pet: NewPet): Pet;
  remove(id: number): boolean;
}

/** Creates a store holding a few pets. */
export function createStore(): Store {
  const pets = new Map<number, Pet>();
  let nextId = 1;
  const add = (pet: NewPet): Pet => {
    const stored = { id: nextId++, ...pet };
    pets.set(stored.id, stored);
    return stored;
  };
  add({ name: 'Rex', tag: 'dog' });
  add({ name: 'Tom', tag: 'cat' });
  add({ name: 'Nemo', tag: 'fish' });
  return {
    list: ({ limit, tag }) =>
      [...pets.values()].filter((pet) => !tag || pet.tag === tag).slice(0, limit),
    get: (id) => pets.get(id),
    add,
    remove: (id) => pets.delete(id),
  };
}
