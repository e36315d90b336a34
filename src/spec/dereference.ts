import { dirname, resolve } from 'node:path';
import type { BootProblem } from '../errors';
import { parsePointer, resolvePointer, toPointer } from './json-pointer';
import { readDocument } from './read-document';

/** The result of resolving every `$ref` of a document. */
export interface Dereferenced {
  document: Record<string, unknown>;
  problems: BootProblem[];
  /**
   * What each `$ref` target (`<absolute file>#<fragment>`) resolved to: every use of a target is
   * this one object, so the validator can be handed `$ref`s again instead of copies.
   */
  targets: ReadonlyMap<string, unknown>;
}

interface Walk {
  rootFile: string;
  documents: Map<string, unknown>;
  resolved: Map<string, unknown>;
  inProgress: Set<string>;
  problems: BootProblem[];
}

/**
 * Replaces every `$ref` (local or to other files, relative to the referring file) by its target.
 * A reference that closes a cycle inside the root document stays a local `$ref`, so circular
 * schemas keep working; every broken reference is reported, none is thrown alone.
 * @example
 * const { document, problems } = await dereference(raw, '/abs/specs/petstore.yaml');
 */
export async function dereference(root: unknown, rootFile: string): Promise<Dereferenced> {
  const documents = new Map<string, unknown>([[rootFile, root]]);
  const problems: BootProblem[] = [];
  await loadReferencedFiles(root, rootFile, documents, problems);
  const walk: Walk = { rootFile, documents, resolved: new Map(), inProgress: new Set(), problems };
  const document = resolveNode(root, rootFile, [], walk) as Record<string, unknown>;
  return { document, problems, targets: walk.resolved };
}

async function loadReferencedFiles(
  node: unknown,
  file: string,
  documents: Map<string, unknown>,
  problems: BootProblem[],
): Promise<void> {
  for (const ref of collectRefs(node)) {
    const [target] = splitRef(ref, file);
    if (target === undefined || documents.has(target)) continue;
    try {
      const loaded = await readDocument(target);
      documents.set(target, loaded);
      await loadReferencedFiles(loaded, target, documents, problems);
    } catch (error) {
      documents.set(target, undefined);
      problems.push({ message: `$ref "${ref}" in ${file}: ${(error as Error).message}` });
    }
  }
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => collectRefs(item, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else collectRefs(value, out);
    }
  }
  return out;
}

/** `[absolute file, fragment]`; the file is undefined for remote URLs (not supported). */
function splitRef(ref: string, file: string): [string | undefined, string] {
  const hash = ref.indexOf('#');
  const filePart = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? '' : ref.slice(hash + 1);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(filePart)) return [undefined, fragment];
  return [filePart ? resolve(dirname(file), filePart) : file, fragment];
}

function resolveNode(node: unknown, file: string, at: string[], walk: Walk): unknown {
  if (Array.isArray(node))
    return node.map((item, i) => resolveNode(item, file, [...at, `${i}`], walk));
  if (!node || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  if (typeof record.$ref === 'string') return resolveRef(record, file, at, walk);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = resolveNode(value, file, [...at, key], walk);
  }
  return out;
}

function resolveRef(
  node: Record<string, unknown>,
  file: string,
  at: string[],
  walk: Walk,
): unknown {
  const ref = node.$ref as string;
  const siblings = { ...node };
  delete siblings.$ref;
  const [target, fragment] = splitRef(ref, file);
  const where = `${toPointer(at)}${file === walk.rootFile ? '' : ` in ${file}`}`;
  if (target === undefined) {
    walk.problems.push({
      pointer: toPointer(at),
      message: `remote $ref "${ref}" is not supported`,
    });
    return node;
  }
  const key = `${target}#${fragment}`;
  let resolved = walk.resolved.get(key);
  if (resolved === undefined) {
    if (walk.inProgress.has(key)) return closeCycle(ref, target, fragment, where, walk);
    const value = resolvePointer(walk.documents.get(target), parsePointer(fragment));
    if (value === undefined) {
      if (walk.documents.get(target) !== undefined) {
        walk.problems.push({
          pointer: toPointer(at),
          message: `$ref "${ref}" at ${where} points to nothing`,
        });
      }
      return node;
    }
    walk.inProgress.add(key);
    resolved = resolveNode(value, target, parsePointer(fragment), walk);
    walk.inProgress.delete(key);
    walk.resolved.set(key, resolved);
  }
  if (Object.keys(siblings).length === 0 || !resolved || typeof resolved !== 'object')
    return resolved;
  // OpenAPI 3.1 allows `description`/`summary` next to `$ref`: they override the target's.
  return { ...(resolved as object), ...(resolveNode(siblings, file, at, walk) as object) };
}

function closeCycle(
  ref: string,
  target: string,
  fragment: string,
  where: string,
  walk: Walk,
): unknown {
  if (target === walk.rootFile) return { $ref: `#${fragment}` };
  walk.problems.push({
    message: `$ref "${ref}" at ${where} closes a cycle through another file`,
    hint: 'move the recursive schema into the main document under components/schemas',
  });
  return {};
}
