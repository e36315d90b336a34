import type { OpenAPIV3 } from 'openapi-types';
import { escapePointerToken } from '../spec/json-pointer';
import type { LoadedSpec } from '../spec/load-spec';

// express-openapi-validator is handed its own copy of the document, built for validation:
// - every schema that several places share (a `$ref` target) is a `$ref` to a component again, so
//   ajv compiles it once instead of walking one expanded copy per use (minutes on big specs);
// - what only documents (`example`, `examples`) is left out: ajv's draft-04 mode reads an `id`
//   inside an example as a schema id ("reference "42" resolves to more than one schema");
// - OpenAPI's own defaults are written out where the validator lacks them (parameter `style`), and
//   `nullable` without `type`, which OpenAPI 3.0.3 says has no effect, is dropped (ajv refuses it).

const COMPONENT_SCHEMA = /^#\/components\/schemas\/([^/]+)$/;
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_VALUES = [
  'items',
  'additionalItems',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
];
const DOCUMENTATION = new Set(['example', 'examples']);
const DEFAULT_STYLE: Record<string, string> = {
  path: 'simple',
  header: 'simple',
  query: 'form',
  cookie: 'form',
};

/**
 * Builds the document express-openapi-validator compiles: shared schemas by `$ref`, no examples,
 * OpenAPI's defaults written out. The loaded document is left untouched.
 * @example
 * const apiDoc = buildValidatorDocument(spec); // apiDoc.paths['/pets'].get ... { $ref: '#/components/schemas/Pet' }
 */
export function buildValidatorDocument(spec: LoadedSpec): OpenAPIV3.Document {
  const { document, refTargets, version } = spec;
  const schemas: Record<string, unknown> = {};
  const hoisted = new Map<object, string>();
  const taken = new Set(Object.keys(document.components?.schemas ?? {}));

  // A schema in a schema position: shared ones become `$ref`s, the rest are copied.
  function schemaAt(value: unknown): unknown {
    if (!value || typeof value !== 'object') return value;
    const target = refTargets.get(value);
    if (target === undefined) return copySchema(value as Record<string, unknown>);
    const component = COMPONENT_SCHEMA.exec(target);
    if (component) return { $ref: target };
    return { $ref: `#/components/schemas/${escapePointerToken(hoist(value, target))}` };
  }

  // A shared schema from elsewhere (another file, a path's schema) becomes a component of its own.
  function hoist(value: object, target: string): string {
    const known = hoisted.get(value);
    if (known) return known;
    const base = `ref_${target.replace(/^.*[\\/]/, '').replace(/[^A-Za-z0-9._-]+/g, '_')}`;
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    hoisted.set(value, name); // before copying: the schema may refer to itself
    schemas[name] = copySchema(value as Record<string, unknown>);
    return name;
  }

  function copySchema(schema: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema)) {
      if (DOCUMENTATION.has(key)) continue;
      if (key === 'nullable' && version === '3.0' && schema.type === undefined) continue;
      if (SCHEMA_MAPS.includes(key) && isObject(value)) out[key] = mapValues(value, schemaAt);
      else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) out[key] = value.map(schemaAt);
      else if (key === 'items' && Array.isArray(value)) out[key] = value.map(schemaAt);
      else if (SCHEMA_VALUES.includes(key)) out[key] = schemaAt(value);
      // Data (enum, default, discriminator, x-*): the validator may rewrite it, so a copy.
      else out[key] = isObject(value) || Array.isArray(value) ? structuredClone(value) : value;
    }
    return out;
  }

  // Anything that is not a schema: parameters, media types, responses, path items...
  function copyNode(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(copyNode);
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    const hasSchema = 'schema' in node || 'content' in node;
    for (const [key, value] of Object.entries(node)) {
      if (hasSchema && DOCUMENTATION.has(key)) continue;
      out[key] = key === 'schema' && isObject(value) ? schemaAt(value) : copyNode(value);
    }
    if (isParameter(node) && node.style === undefined) out.style = DEFAULT_STYLE[node.in];
    return out;
  }

  const { components, ...rest } = document;
  const copy = copyNode(rest) as OpenAPIV3.Document;
  const { schemas: componentSchemas, ...otherComponents } = components ?? {};
  delete otherComponents.examples;
  const copiedComponents = copyNode(otherComponents) as OpenAPIV3.ComponentsObject;
  // Components first, so that names taken by hoisted schemas never shadow them.
  const ownSchemas = mapValues(componentSchemas ?? {}, (schema) =>
    copySchema(schema as Record<string, unknown>),
  );
  copy.components = { ...copiedComponents, schemas: { ...ownSchemas, ...schemas } } as never;
  return copy;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function isParameter(node: Record<string, unknown>): node is { in: string; style?: unknown } {
  return typeof node.in === 'string' && typeof node.name === 'string' && node.in in DEFAULT_STYLE;
}

function mapValues(
  record: Record<string, unknown>,
  fn: (value: unknown) => unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) out[key] = fn(value);
  return out;
}
