'use strict';
// An in-memory pet store: the "database" of the demo.

/** Creates a store holding a few pets. */
function createStore() {
  const pets = new Map();
  let nextId = 1;
  const add = (pet) => {
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

module.exports = { createStore };
