import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { BootProblem } from '../errors';
import { parsePointer, resolvePointer, toPointer } from './json-pointer';
import { readDocument } from './read-document';

/** The result of resolving every `$ref` of a document. */
export interface Dereferenced {
  document: Record<string, unknown>;
  problems: BootProblem[];
  /** What is served anyway: properties beside a `$ref` that OpenAPI 3.0 ignores. */
  warnings: BootProblem[];
  /**
   * What each `$ref` target (`<absolute file>#<fragment>`) resolved to: every use of a target is
   * this one object, so the validator can be handed `$ref`s again instead of copies.
   */
  targets: ReadonlyMap<string, unknown>;
}

/** Options of {@link dereference}. */
export interface DereferenceOptions {
  /** Let file `$ref`s leave the folder tree of the root file. @default false */
  allowExternalRefs?: boolean;
}

/** A `$ref` target being resolved; `refOnly` when its value is itself nothing but a `$ref`. */
interface Step {
  key: string;
  refOnly: boolean;
}

interface Walk {
  rootFile: string;
  /** Files outside this folder are not read, unless `allowExternalRefs`. */
  rootFolder: string;
  allowExternalRefs: boolean;
  documents: Map<string, unknown>;
  resolved: Map<string, unknown>;
  inProgress: Step[];
  problems: BootProblem[];
  /** What a boot serves anyway: properties beside a `$ref` in OpenAPI 3.0, which it ignores. */
  warnings: BootProblem[];
  /** OpenAPI 3.0 ignores what stands beside a `$ref`; 3.1 lets it override the target's. */
  siblingsOverride: boolean;
  /** The $refs whose (non-documentation) siblings OpenAPI 3.0 made us ignore. */
  ignoredSiblings: Array<{ pointer: string; keys: string[]; ref: string }>;
}

// Values that are data, not description: a `$ref` inside an example or a default is text of
// the example (`default: { $ref: index.html }`), never a reference to follow.
// Under a map of names (`properties`, `responses`, ...) a key is a name: a property may be
// called `default` or `value`.
const DOCUMENTATION = new Set(['description', 'summary', 'title', 'example', 'examples']);
const DATA_KEYS = new Set(['default', 'example', 'enum', 'const', 'value']);
const NAME_MAPS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
  'schemas',
  'parameters',
  'responses',
  'requestBodies',
  'headers',
  'securitySchemes',
  'links',
  'callbacks',
  'pathItems',
  'paths',
  'webhooks',
  'content',
  'encoding',
  'variables',
  'examples',
  'mapping',
]);
function isData(parentKey: string | undefined, key: string, value: unknown): boolean {
  if (parentKey !== undefined && NAME_MAPS.has(parentKey)) return false;
  return DATA_KEYS.has(key) || (key === 'examples' && Array.isArray(value)) || key.startsWith('x-');
}

/**
 * Replaces every `$ref` (local or to other files, relative to the referring file) by its target.
 * A reference that closes a cycle inside the root document stays a local `$ref`, so circular
 * schemas keep working; every broken reference is reported, none is thrown alone. Files outside
 * the root file's folder tree are not read unless `allowExternalRefs`; remote URLs never are.
 * @example
 * const { document, problems } = await dereference(raw, '/abs/specs/petstore.yaml');
 */
export async function dereference(
  root: unknown,
  rootFile: string,
  options: DereferenceOptions = {},
): Promise<Dereferenced> {
  const walk: Walk = {
    rootFile,
    rootFolder: dirname(rootFile),
    allowExternalRefs: options.allowExternalRefs ?? false,
    documents: new Map<string, unknown>([[rootFile, root]]),
    resolved: new Map(),
    inProgress: [],
    problems: [],
    warnings: [],
    ignoredSiblings: [],
    siblingsOverride: !String((root as { openapi?: unknown } | null)?.openapi ?? '').startsWith(
      '3.0',
    ),
  };
  await loadReferencedFiles(root, rootFile, walk);
  const document = resolveNode(root, rootFile, [], walk) as Record<string, unknown>;
  const [first, ...others] = walk.ignoredSiblings;
  if (first) {
    walk.warnings.push({
      pointer: first.pointer,
      message: `${first.keys.join(', ')} beside $ref "${first.ref}" ignored${others.length ? ` (and beside ${others.length} more $refs)` : ''}: in OpenAPI 3.0 a $ref stands for its target alone`,
      hint: 'move them into the target, or wrap the $ref in allOf',
    });
  }
  return { document, problems: walk.problems, warnings: walk.warnings, targets: walk.resolved };
}

// Reads every file a $ref names, except those resolveRef refuses (it reports them, with pointers).
async function loadReferencedFiles(node: unknown, file: string, walk: Walk): Promise<void> {
  for (const ref of collectRefs(node)) {
    const [target] = splitRef(ref, file);
    if (target === undefined || walk.documents.has(target) || isOutside(target, walk)) continue;
    try {
      const loaded = await readDocument(target);
      walk.documents.set(target, loaded);
      await loadReferencedFiles(loaded, target, walk);
    } catch (error) {
      walk.documents.set(target, undefined);
      walk.problems.push({ message: `$ref "${ref}" in ${file}: ${(error as Error).message}` });
    }
  }
}

function collectRefs(node: unknown, out: string[] = [], parentKey?: string): string[] {
  if (Array.isArray(node)) node.forEach((item) => collectRefs(item, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else if (!isData(parentKey, key, value)) collectRefs(value, out, key);
    }
  }
  return out;
}

/**
 * `[absolute file, fragment]`; the file is undefined for URLs (`http:`, `file:`, ...), which are
 * never fetched. A scheme has two letters or more, so a Windows drive (`C:`) stays a file.
 */
function splitRef(ref: string, file: string): [string | undefined, string] {
  const hash = ref.indexOf('#');
  const filePart = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? '' : ref.slice(hash + 1);
  if (/^[a-z][a-z0-9+.-]+:/i.test(filePart)) return [undefined, fragment];
  return [filePart ? resolve(dirname(file), filePart) : file, fragment];
}

function isOutside(target: string, walk: Walk): boolean {
  if (walk.allowExternalRefs) return false;
  const path = relative(walk.rootFolder, target);
  // isAbsolute: another drive on Windows.
  return path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path);
}

function resolveNode(node: unknown, file: string, at: string[], walk: Walk): unknown {
  if (Array.isArray(node))
    return node.map((item, i) => resolveNode(item, file, [...at, `${i}`], walk));
  if (!node || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  if (typeof record.$ref === 'string') return resolveRef(record, file, at, walk);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = isData(at[at.length - 1], key, value)
      ? value
      : resolveNode(value, file, [...at, key], walk);
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
  const refused = refuse(ref, target, where, walk);
  if (refused || target === undefined) {
    if (refused) walk.problems.push({ pointer: toPointer(at), ...refused });
    return node;
  }
  const key = `${target}#${fragment}`;
  let resolved = walk.resolved.get(key);
  if (resolved === undefined) {
    if (walk.inProgress.some((step) => step.key === key))
      return closeCycle(ref, key, at, where, walk);
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
    walk.inProgress.push({ key, refOnly: isRefOnly(value) });
    resolved = resolveNode(value, target, parsePointer(fragment), walk);
    walk.inProgress.pop();
    walk.resolved.set(key, resolved);
  }
  if (Object.keys(siblings).length === 0 || !resolved || typeof resolved !== 'object')
    return resolved;
  if (!walk.siblingsOverride) {
    // Documentation beside a $ref is common and harmless; anything else is worth one warning.
    const ignored = Object.keys(siblings).filter((key) => !DOCUMENTATION.has(key));
    if (ignored.length) walk.ignoredSiblings.push({ pointer: toPointer(at), keys: ignored, ref });
    return resolved;
  }
  // OpenAPI 3.1 allows `description`/`summary` next to `$ref`: they override the target's.
  return { ...(resolved as object), ...(resolveNode(siblings, file, at, walk) as object) };
}

/** Why a `$ref` is not followed (remote, or out of the spec's folder), or undefined. */
function refuse(
  ref: string,
  target: string | undefined,
  where: string,
  walk: Walk,
): Omit<BootProblem, 'pointer'> | undefined {
  if (target === undefined) {
    return {
      message: `remote $ref "${ref}" at ${where} is not fetched: spectrometer reads $refs from files only`,
      hint: 'download the file beside the spec and $ref it by its relative path',
    };
  }
  if (!isOutside(target, walk)) return undefined;
  return {
    message: `$ref "${ref}" at ${where} leaves the spec's folder (${walk.rootFolder})`,
    hint: "move the file under the spec's folder, or set allowExternalRefs: true",
  };
}

function isRefOnly(value: unknown): boolean {
  return (
    !!value && typeof value === 'object' && typeof (value as { $ref?: unknown }).$ref === 'string'
  );
}

function closeCycle(ref: string, key: string, at: string[], where: string, walk: Walk): unknown {
  const chain = walk.inProgress.slice(walk.inProgress.findIndex((step) => step.key === key));
  if (chain.every((step) => step.refOnly)) {
    const names = [...chain.map((step) => step.key), key].map((step) => describeKey(step, walk));
    walk.problems.push({
      pointer: toPointer(at),
      message: `$ref cycle that never reaches a schema: ${names.join(' -> ')}`,
      hint: 'point one of these $refs at a schema (or any other object) instead of another $ref',
    });
    return {};
  }
  const hash = key.indexOf('#');
  if (key.slice(0, hash) === walk.rootFile) return { $ref: key.slice(hash) };
  walk.problems.push({
    message: `$ref "${ref}" at ${where} closes a cycle through another file`,
    hint: 'move the recursive schema into the main document under components/schemas',
  });
  return {};
}

/** `#/components/schemas/A` in the root file, `schemas/pet.yaml#/Pet` in others. */
function describeKey(key: string, walk: Walk): string {
  const hash = key.indexOf('#');
  const file = key.slice(0, hash);
  return `${file === walk.rootFile ? '' : relative(walk.rootFolder, file)}${key.slice(hash)}`;
}
