import { join } from 'node:path';
import { isReply, type ApiLabelFunction } from '../../src';

/** The demo spec, specs/petstore.yaml. */
export const PETSTORE = join(__dirname, '..', '..', 'specs', 'petstore.yaml');

const KINDS: Record<string, string> = { dog: 'mammal', cat: 'mammal', fish: 'fish' };

/**
 * The label functions the petstore's `{ fn }` labels name, written as in
 * examples/petstore/handlers.ts: petKind is the kind of the pet returned (directly or in a
 * reply()), `none` for a problem.
 */
export const petstoreLabelFunctions: Record<string, ApiLabelFunction> = {
  petKind: ({ result }) => {
    const body = isReply(result) ? result.body : result;
    if (typeof body !== 'object' || body === null || !('id' in body)) return 'none';
    const tag = (body as { tag?: string }).tag;
    return (tag && KINDS[tag]) || 'other';
  },
};
