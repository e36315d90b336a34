import { join } from 'node:path';
import type { ApiLabelFunction } from '../../src';

/** The demo spec, specs/petstore.yaml. */
export const PETSTORE = join(__dirname, '..', '..', 'specs', 'petstore.yaml');

const KINDS: Record<string, string> = { dog: 'mammal', cat: 'mammal', fish: 'fish' };

/**
 * The label functions the petstore's `{ fn }` labels name, written as in
 * examples/petstore/handlers.js: petKind is the kind of the pet returned, `none` for a problem.
 */
export const petstoreLabelFunctions: Record<string, ApiLabelFunction> = {
  petKind: ({ result }) => {
    if (typeof result !== 'object' || result === null || !('id' in result)) return 'none';
    const tag = (result as { tag?: string }).tag;
    return (tag && KINDS[tag]) || 'other';
  },
};
