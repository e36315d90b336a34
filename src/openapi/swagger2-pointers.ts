import type { BootProblem } from '../errors';
import { followLocalRef, parsePointer, resolvePointer, toPointer } from './json-pointer';

type Node = Record<string, unknown>;

/** Where swagger2openapi moves Swagger 2.0's shared sections. */
const SECTIONS: Record<string, string> = {
  schemas: 'definitions',
  parameters: 'parameters',
  responses: 'responses',
  securitySchemes: 'securityDefinitions',
};

const NOTE = ' (converted from Swagger 2.0)';

/**
 * Points a problem found in a document converted by swagger2openapi into the Swagger 2.0
 * original, or, where that place does not exist there, says the pointer is into the conversion.
 * @example
 * pointIntoSwagger2({ pointer: '#/components/schemas/Pet/type', message: '…' }, swagger, openapi)
 * // { pointer: '#/definitions/Pet/type', message: '…' }
 */
export function pointIntoSwagger2(
  problem: BootProblem,
  original: Node,
  converted: unknown,
): BootProblem {
  if (problem.pointer === undefined) return problem;
  const tokens = toSwagger2Tokens(parsePointer(problem.pointer.slice(1)), original, converted);
  const found = tokens && locate(original, tokens);
  // The $ref text in the message was rewritten by the converter too.
  const message = problem.message.replace(
    /\$ref "#\/components\/(\w+)\//g,
    (text, section: string) => (SECTIONS[section] ? `$ref "#/${SECTIONS[section]}/` : text),
  );
  if (!found) return { ...problem, message: `${message}${NOTE}` };
  const pointer = toPointer(found);
  return { ...problem, pointer, message: message.split(problem.pointer).join(pointer) };
}

function toSwagger2Tokens(tokens: string[], original: Node, converted: unknown): string[] | null {
  const [head, section, name, ...rest] = tokens;
  if (head === 'components') {
    const target = section && SECTIONS[section];
    if (!target || name === undefined) return null;
    if (section === 'parameters')
      return [target, name, ...inParameter(rest, original, [target, name])];
    return [target, name, ...(section === 'responses' ? inResponse(rest) : rest)];
  }
  if (head !== 'paths' || section === undefined || name === undefined) return tokens;
  const base = [head, section];
  if (name === 'parameters') return inParameters(base, rest, original, converted);
  const [key, ...after] = rest;
  const operation = [...base, name];
  if (key === 'parameters') return inParameters(operation, after, original, converted);
  if (key === 'requestBody') return inRequestBody(operation, after, original);
  if (key === 'responses' && after.length)
    return [...operation, key, after[0]!, ...inResponse(after.slice(1))];
  return tokens;
}

// A response's `content/<type>/schema` was its `schema`, `headers/<h>/schema` the header itself.
function inResponse(rest: string[]): string[] {
  const [key, name, inner, ...after] = rest;
  if (key === 'content' && inner === 'schema') return ['schema', ...after];
  if (key === 'headers' && inner === 'schema') return ['headers', name!, ...after];
  return rest;
}

/** A parameter is found again by name and location: body parameters left the array. */
function inParameters(
  owner: string[],
  rest: string[],
  original: Node,
  converted: unknown,
): string[] | null {
  const [index, ...after] = rest;
  if (index === undefined) return [...owner, 'parameters'];
  const wanted = follow(converted, resolvePointer(converted, [...owner, 'parameters', index]));
  const position = findParameter(
    original,
    owner,
    (p) => p.name === wanted?.name && p.in === wanted?.in,
  );
  if (position === undefined) return null;
  const at = [...owner.slice(0, position.owner), 'parameters', `${position.index}`];
  return [...at, ...inParameter(after, original, at)];
}

// Non-body parameters had their schema keywords (type, minimum, items...) on the parameter.
function inParameter(rest: string[], original: Node, at: string[]): string[] {
  const parameter = follow(original, resolvePointer(original, at));
  return rest[0] === 'schema' && parameter?.in !== 'body' ? rest.slice(1) : rest;
}

/** `requestBody` was the body parameter, or the formData parameters as its schema's properties. */
function inRequestBody(operation: string[], rest: string[], original: Node): string[] | null {
  const [key, , inner, kind, name, ...after] = rest;
  const body = findParameter(original, operation, (p) => p.in === 'body');
  if (body !== undefined) {
    const at = [...operation.slice(0, body.owner), 'parameters', `${body.index}`];
    if (key === 'content' && inner === 'schema') return [...at, 'schema', ...rest.slice(3)];
    return key === 'required' || key === 'description' ? [...at, key] : at;
  }
  if (key !== 'content' || inner !== 'schema' || kind !== 'properties' || name === undefined)
    return null;
  const field = findParameter(original, operation, (p) => p.in === 'formData' && p.name === name);
  if (field === undefined) return null;
  return [...operation.slice(0, field.owner), 'parameters', `${field.index}`, ...after];
}

interface Position {
  /** How many tokens of the pointer own the array: the operation's, or one fewer (its path item). */
  owner: number;
  index: number;
}

/** The parameter of an operation (or of its path item) that matches, following `$ref`s. */
function findParameter(
  original: Node,
  owner: string[],
  matches: (parameter: Node) => boolean,
): Position | undefined {
  for (const length of [owner.length, owner.length - 1].filter((n) => n >= 2)) {
    const list = resolvePointer(original, [...owner.slice(0, length), 'parameters']);
    if (!Array.isArray(list)) continue;
    const index = list.findIndex((item) => {
      const parameter = follow(original, item);
      return parameter !== undefined && matches(parameter);
    });
    if (index >= 0) return { owner: length, index };
  }
  return undefined;
}

/** A node, or the target of its local `$ref`, when it is an object. */
function follow(document: unknown, node: unknown): Node | undefined {
  const target = followLocalRef(document, node);
  return target && typeof target === 'object' ? (target as Node) : undefined;
}

/**
 * The tokens of the place in the document, going through local `$ref`s on the way (a problem in a
 * shared parameter is found under `parameters`); null when there is no such place.
 */
function locate(document: Node, tokens: string[]): string[] | null {
  let at: string[] = [];
  let node: unknown = document;
  for (const token of tokens) {
    for (let hops = 0; hops < 8; hops++) {
      const ref = (node as Node | null)?.$ref;
      if (typeof ref !== 'string' || !ref.startsWith('#') || token === '$ref') break;
      at = parsePointer(ref.slice(1));
      node = resolvePointer(document, at);
    }
    if (!node || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, token))
      return null;
    node = (node as Node)[token];
    at = [...at, token];
  }
  return at;
}
