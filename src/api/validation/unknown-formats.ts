import type { BootProblem } from '../../errors';
import { toPointer } from '../../openapi/json-pointer';

const SKIPPED = new Set(['example', 'examples', 'default', 'enum', 'const']);

/**
 * Finds the `format`s that the schemas use and no validator knows (`repo.nwo`): JSON Schema says
 * they are not checked, which a boot says once per format instead of once per schema.
 * @returns each unknown format with the pointer of its first use
 * @example
 * findUnknownFormats(apiDoc, ['date-time', 'uuid']) // Map { 'repo.nwo' => '#/components/schemas/Repo/properties/full_name' }
 */
export function findUnknownFormats(
  document: object,
  knownFormats: readonly string[],
): Map<string, string> {
  const known = new Set(knownFormats);
  const unknown = new Map<string, string>();
  const seen = new Set<object>();
  const visit = (node: unknown, at: string[]): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...at, String(i)]));
      return;
    }
    const record = node as Record<string, unknown>;
    const { format } = record;
    if (typeof format === 'string' && !known.has(format) && !unknown.has(format))
      unknown.set(format, toPointer([...at, 'format']));
    for (const [key, value] of Object.entries(record)) {
      // Data, documentation and extensions hold no schemas (`x-origin: { format: openapi }`).
      if (!SKIPPED.has(key) && !key.startsWith('x-') && !(at.length === 0 && key === 'info'))
        visit(value, [...at, key]);
    }
  };
  visit(document, []);
  return unknown;
}

/**
 * One warning per unknown format, with the place it is first used.
 * @example
 * describeUnknownFormats(new Map([['repo.nwo', '#/components/schemas/Repo/properties/name/format']]))
 */
export function describeUnknownFormats(unknown: ReadonlyMap<string, string>): BootProblem[] {
  return [...unknown].map(([format, pointer]) => ({
    pointer,
    message: `format "${format}" is not known to the validator: values are not checked against it`,
    hint: 'a custom format needs its own check in a handler, or a pattern in the schema',
  }));
}
