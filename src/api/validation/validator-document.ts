import type { OpenAPIV3 } from 'openapi-types';
import { escapePointerToken } from '../../openapi/json-pointer';
import type { LoadedSpec } from '../../openapi/load-spec';

// express-openapi-validator is handed documents of its own, built for validation in one linear
// pass (its own preprocessor compiled every component at boot: seconds on big specs):
// - every schema that several places share (a `$ref` target) is a `$ref` to a component again, so
//   ajv compiles it once instead of walking one expanded copy per use (minutes on big specs);
// - what only documents (`example`, `examples`) is left out: ajv's draft-04 mode reads an `id`
//   inside an example as a schema id ("reference "42" resolves to more than one schema");
// - OpenAPI's own defaults are written out where the validator lacks them (parameter `style`), and
//   `nullable` without `type`, which OpenAPI 3.0.3 says has no effect, is dropped (ajv refuses it);
// - what OpenAPI says differs between the two sides: readOnly properties are never required in
//   requests, writeOnly ones never in responses;
// - a discriminator picks its branch by the property's value, which plain `oneOf` cannot say.

/** Which side of the exchange a validator document checks. */
export type ValidationSide = 'request' | 'response';

const COMPONENT_SCHEMA = /^#\/components\/schemas\/[^/]+$/;
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
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * Builds the document express-openapi-validator validates one side with: shared schemas by `$ref`,
 * no examples, OpenAPI's defaults written out, path-level parameters merged into operations. The
 * loaded document is left untouched.
 * @example
 * const requestDoc = buildValidatorDocument(spec, 'request');
 */
export function buildValidatorDocument(spec: LoadedSpec, side: ValidationSide): OpenAPIV3.Document {
  const { document, refTargets, version } = spec;
  const schemas: Record<string, unknown> = {};
  const hoisted = new Map<object, string>();
  const taken = new Set(Object.keys(document.components?.schemas ?? {}));
  const hidden = side === 'request' ? 'readOnly' : 'writeOnly';

  // A schema in a schema position: shared ones become `$ref`s, the rest are copied.
  function schemaAt(value: unknown): unknown {
    if (!value || typeof value !== 'object') return value;
    const target = refTargets.get(value);
    if (target === undefined) return copySchema(value as Record<string, unknown>);
    return { $ref: refTo(value, target) };
  }

  function refTo(value: object, target: string): string {
    if (COMPONENT_SCHEMA.test(target)) return target;
    return `#/components/schemas/${escapePointerToken(hoist(value, target))}`;
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
      else if (key === 'required' && Array.isArray(value)) out[key] = stillRequired(schema, value);
      // Data (enum, default, x-*): the validator may rewrite it, so a copy.
      else out[key] = isObject(value) || Array.isArray(value) ? structuredClone(value) : value;
    }
    if (Array.isArray(out.required) && out.required.length === 0) delete out.required;
    return withDiscriminatorBranches(schema, out);
  }

  function stillRequired(schema: Record<string, unknown>, required: unknown[]): unknown[] {
    const properties = isObject(schema.properties) ? schema.properties : {};
    return required.filter((name) => {
      const property = properties[name as string];
      return !(isObject(property) && property[hidden] === true);
    });
  }

  // `oneOf: [Cat, Dog]` with `discriminator: petType` becomes one branch per discriminator value,
  // so data valid for both Cat and Dog is judged by its petType alone, as OpenAPI says.
  function withDiscriminatorBranches(
    schema: Record<string, unknown>,
    out: Record<string, unknown>,
  ): Record<string, unknown> {
    const discriminator = schema.discriminator as OpenAPIV3.DiscriminatorObject | undefined;
    const list = schema.oneOf ? 'oneOf' : schema.anyOf ? 'anyOf' : undefined;
    const branches = list && (schema[list] as unknown[]);
    if (!discriminator?.propertyName || !Array.isArray(branches)) return out;
    const targets = branches.map((branch) => isObject(branch) && refTargets.get(branch));
    if (!targets.every(Boolean)) return out; // inline branches have no name to match
    const property = discriminator.propertyName;
    const mapping = Object.entries(discriminator.mapping ?? {});
    const rewritten = branches.map((branch, i) => {
      const target = targets[i] as string;
      const name = target.slice(target.lastIndexOf('/') + 1);
      const mapped = mapping
        .filter(([, ref]) => ref === target || ref === name || ref.endsWith(`/${name}`))
        .map(([value]) => value);
      return {
        required: [property],
        properties: { [property]: { enum: mapped.length ? mapped : [name] } },
        allOf: [{ $ref: refTo(branch as object, target) }],
      };
    });
    const rest: Record<string, unknown> = { ...out, anyOf: rewritten };
    if (list === 'oneOf') delete rest.oneOf;
    delete rest.discriminator;
    return rest;
  }

  // readOnly/writeOnly describe properties of bodies; on a parameter they would refuse every value.
  function parameterSchema(schema: Record<string, unknown>): Record<string, unknown> {
    const copy = copySchema(schema);
    delete copy.readOnly;
    delete copy.writeOnly;
    return copy;
  }

  // Anything that is not a schema: parameters, media types, responses, path items...
  function copyNode(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(copyNode);
    if (!isObject(node)) return node;
    const out: Record<string, unknown> = {};
    const hasSchema = 'schema' in node || 'content' in node;
    const parameter = isParameter(node);
    for (const [key, value] of Object.entries(node)) {
      if (hasSchema && DOCUMENTATION.has(key)) continue;
      // A parameter's own schema stays inline: the validator reads its type to parse the value.
      if (key === 'schema' && isObject(value))
        out[key] = parameter ? parameterSchema(value) : schemaAt(value);
      else if (key === 'content' && side === 'response' && isObject(value))
        out[key] = mapValues(value, anySchemaIfNone);
      else out[key] = copyNode(value);
    }
    if (parameter && node.style === undefined) out.style = DEFAULT_STYLE[node.in];
    return out;
  }

  // A media type without a schema allows any body; the validator would refuse the status instead
  // ("no schema defined for status code").
  function anySchemaIfNone(media: unknown): unknown {
    const copy = copyNode(media);
    return isObject(copy) && !('schema' in copy) ? { ...copy, schema: {} } : copy;
  }

  const { components, paths, ...rest } = document;
  const copy = copyNode(rest) as OpenAPIV3.Document;
  copy.paths = mapValues(paths ?? {}, (item) => withMergedParameters(copyNode(item))) as never;
  const { schemas: componentSchemas, ...otherComponents } = components ?? {};
  delete otherComponents.examples;
  const copiedComponents = copyNode(otherComponents) as OpenAPIV3.ComponentsObject;
  const ownSchemas = mapValues(componentSchemas ?? {}, (schema) =>
    isObject(schema) ? copySchema(schema) : schema,
  );
  copy.components = { ...copiedComponents, schemas: { ...ownSchemas, ...schemas } } as never;
  return copy;
}

// The validator reads an operation's parameters only: those of its path item are merged in.
function withMergedParameters(item: unknown): unknown {
  if (!isObject(item) || !Array.isArray(item.parameters)) return item;
  const shared = item.parameters as Array<{ name?: unknown; in?: unknown }>;
  for (const [method, operation] of Object.entries(item)) {
    if (!METHODS.has(method) || !isObject(operation)) continue;
    const own = (operation.parameters ?? []) as Array<{ name?: unknown; in?: unknown }>;
    const overridden = (p: { name?: unknown; in?: unknown }) =>
      own.some((o) => o.name === p.name && o.in === p.in);
    operation.parameters = [...own, ...shared.filter((p) => !overridden(p))];
  }
  return item;
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
