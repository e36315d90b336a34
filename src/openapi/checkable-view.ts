/**
 * The dereferenced document as the OpenAPI schema should check it: each shared `$ref` target is
 * checked once, where it is defined, and every other use is a `$ref` again. Checking the fully
 * expanded document walked each shared schema once per use (minutes and gigabytes on specs whose
 * schemas refer to each other, such as Stripe's).
 * @param refTargets what each `$ref` resolved to: `#/...` in the document, `file#/...` elsewhere
 * @example
 * checkDocument(checkableView(document, spec.refTargets))
 */
export function checkableView(
  document: Record<string, unknown>,
  refTargets: ReadonlyMap<object, string>,
): Record<string, unknown> {
  // Targets in other files are checked where they are first used.
  const checked = new Set<object>();
  const view = (node: unknown): unknown => {
    if (!node || typeof node !== 'object') return node;
    const target = refTargets.get(node);
    if (target !== undefined) {
      if (target.startsWith('#') || checked.has(node)) return { $ref: target };
      checked.add(node);
    }
    if (Array.isArray(node)) return node.map(view);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = view(value);
    return out;
  };
  return view(document) as Record<string, unknown>;
}
