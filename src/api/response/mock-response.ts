import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { isJsonType } from './content-negotiation';
import { fakeString } from './fake-string';
import { preferredResponseKey, unknownExample, type MockPreference } from './mock-preference';
import { reply, type Reply, type ReplyHeaders } from './reply';

/** Schemas, media types and headers read loosely: 3.0 and 3.1 shapes differ, all are dereferenced. */
type Node = Record<string, unknown>;

/** Deep enough for real payloads; cycles stop earlier, through the ancestor set. */
const MAX_DEPTH = 12;

/**
 * Schemas visited per answer. Shared schemas are expanded wherever they are used, so a big spec's
 * optional properties could multiply; past this, only required properties are added.
 */
const MAX_STEPS = 10_000;

/** One generation: the schemas being expanded (cycles), samples used so far, steps left. */
interface Walk {
  ancestors: Set<Node>;
  samples: number;
  stepsLeft: number;
}

const startWalk = (): Walk => ({ ancestors: new Set(), samples: 0, stepsLeft: MAX_STEPS });

const FORMAT_EXAMPLES: Record<string, string> = {
  'date-time': '2024-01-01T00:00:00Z',
  date: '2024-01-01',
  time: '00:00:00Z',
  duration: 'PT1M',
  uuid: '00000000-0000-4000-8000-000000000000',
  email: 'user@example.com',
  'idn-email': 'user@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  'uri-reference': '/',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  byte: 'AA==',
  binary: '',
  password: 'password',
};

/**
 * Builds the response `missingHandler: 'mock'` sends: the lowest declared 2xx (else `default`),
 * or the status `Prefer: code=` asks for; its first media type (the first holding the example
 * `Prefer: example=` names); and a body from the spec's examples or generated from its schema
 * (writeOnly properties left out, patterns and formats from json-schema-faker). A preference the
 * operation cannot meet throws a 400 `HttpProblem` naming what it declares.
 * @example
 * app.get('/pets', (req, res, next) => sendResult(mockResult(operation), { req, res, operation }).catch(next));
 */
export function mockResult(
  operation: OpenAPIV3.OperationObject | OpenAPIV3_1.OperationObject,
  preference: MockPreference = {},
  operationId: string = operation.operationId ?? 'this operation',
): Reply {
  const { status, response, mediaType, media } = chooseMockResponse(
    operation,
    preference,
    operationId,
  );
  const named = preference.example;
  const headers = mockHeaders(asNode(response?.headers));
  if (preference.code !== undefined || named !== undefined)
    headers['Preference-Applied'] = describePreference(preference);
  if (status === 204 || mediaType === undefined) return reply(undefined, { status, headers });
  const mediaNode = asNode(media) ?? {};
  const found =
    named === undefined
      ? readExample(mediaNode)
      : { value: asNode(asNode(mediaNode.examples)?.[named])?.value };
  const body = found ? found.value : generateValue(mediaNode.schema, startWalk(), 0);
  if (/\*/.test(mediaType)) return reply(body, { status, headers }); // a range: negotiate
  const json = isJsonType(mediaType);
  // The content type is fixed, so a string is sent as is: encode it when the type is JSON.
  const encoded = json && typeof body === 'string' ? JSON.stringify(body) : body;
  return reply(encoded ?? null, { status, headers, contentType: mediaType });
}

/** The response a mock answers with, and its media type; before any body is made. */
interface MockChoice {
  status: number;
  response: Node | undefined;
  mediaType?: string;
  media?: unknown;
}

/**
 * Chooses what a mock answers: the status (the preferred one, else the lowest 2xx), and the first
 * media type (the first holding the preferred example). Throws the 400 problem of a preference
 * the operation cannot meet, naming what it declares.
 * @example
 * chooseMockResponse(operation, { code: 404 }, 'getPet').status // 404
 */
export function chooseMockResponse(
  operation: OpenAPIV3.OperationObject | OpenAPIV3_1.OperationObject,
  preference: MockPreference,
  operationId: string,
): MockChoice {
  const responses = (operation.responses ?? {}) as Record<string, Node | undefined>;
  const [status, response] =
    preference.code === undefined
      ? pickResponse(responses)
      : pickPreferred(responses, preference.code, operationId);
  const contents = Object.entries(asNode(response?.content) ?? {});
  const named = preference.example;
  const chosen =
    named === undefined
      ? contents[0]
      : contents.find(([, media]) => Object.hasOwn(asNode(asNode(media)?.examples) ?? {}, named));
  if (named !== undefined && !chosen) {
    const known = contents.flatMap(([, media]) =>
      Object.keys(asNode(asNode(media)?.examples) ?? {}),
    );
    throw unknownExample(named, status, [...new Set(known)], operationId);
  }
  const [mediaType, media] = chosen ?? [];
  return { status, response, ...(mediaType !== undefined ? { mediaType, media } : {}) };
}

function pickPreferred(
  responses: Record<string, Node | undefined>,
  code: number,
  operationId: string,
): [number, Node | undefined] {
  return [code, responses[preferredResponseKey(responses, code, operationId)]];
}

function describePreference(preference: MockPreference): string {
  return [
    preference.code !== undefined ? `code=${preference.code}` : undefined,
    preference.example !== undefined ? `example=${JSON.stringify(preference.example)}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

function pickResponse(responses: Record<string, Node | undefined>): [number, Node | undefined] {
  const codes = Object.keys(responses)
    .filter((key) => /^2\d\d$/.test(key))
    .sort();
  const code = codes[0];
  if (code) return [Number(code), responses[code]];
  const fallback = responses['2XX'] ?? responses['2xx'] ?? responses.default;
  return [200, fallback];
}

function mockHeaders(headers: Node | undefined): ReplyHeaders {
  const mocked: ReplyHeaders = {};
  for (const [name, header] of Object.entries(headers ?? {})) {
    const node = asNode(header) ?? {};
    const found = readExample(node);
    const value = found ? found.value : generateValue(node.schema, startWalk(), 0);
    if (value === undefined || value === null || name.toLowerCase() === 'content-type') continue;
    mocked[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return mocked;
}

/** `example`, then the first of `examples` (a map of Example Objects, or a 3.1 schema's array). */
function readExample(node: Node): { value: unknown } | undefined {
  if (node.example !== undefined) return { value: node.example };
  const { examples } = node;
  if (Array.isArray(examples)) return examples.length ? { value: examples[0] } : undefined;
  for (const example of Object.values(asNode(examples) ?? {})) {
    const value = asNode(example)?.value;
    if (value !== undefined) return { value };
  }
  return undefined;
}

/**
 * A minimal value valid against `schema`, built from its examples and defaults where it has them;
 * `undefined` when a cycle or the depth limit stops it (optional parts are then left out).
 */
function generateValue(schema: unknown, walk: Walk, depth: number): unknown {
  const node = asNode(schema);
  if (!node || walk.ancestors.has(node) || depth > MAX_DEPTH) return undefined;
  walk.stepsLeft -= 1;
  const found = readExample(node) ?? (node.default !== undefined ? { value: node.default } : null);
  if (found) {
    walk.samples += 1;
    return found.value;
  }
  if (node.const !== undefined) return node.const;
  if (Array.isArray(node.enum) && node.enum.length) return node.enum[0];
  walk.ancestors.add(node);
  try {
    const composed = generateComposed(node, walk, depth);
    return composed !== undefined ? composed : generateTyped(node, walk, depth);
  } finally {
    walk.ancestors.delete(node);
  }
}

function generateComposed(node: Node, walk: Walk, depth: number): unknown {
  if (Array.isArray(node.allOf)) {
    const parts = node.allOf.map((part) => generateValue(part, walk, depth + 1));
    const own = node.properties || node.required ? generateTyped(node, walk, depth) : undefined;
    const objects = [...parts, own].filter(isPlainObject);
    if (objects.length) return Object.assign({}, ...objects);
    return parts.find((part) => part !== undefined);
  }
  for (const options of [node.oneOf, node.anyOf]) {
    if (!Array.isArray(options)) continue;
    for (const option of options) {
      const value = generateValue(option, walk, depth + 1);
      if (value !== undefined) return value;
    }
  }
  return undefined;
}

function generateTyped(node: Node, walk: Walk, depth: number): unknown {
  switch (readType(node)) {
    case 'object':
      return generateObject(node, walk, depth);
    case 'array': {
      const item = generateValue(node.items, walk, depth + 1);
      const count = Math.max(1, readNumber(node.minItems) ?? 1);
      return item === undefined || node.maxItems === 0 ? [] : Array<unknown>(count).fill(item);
    }
    case 'string':
      return generateString(node);
    case 'integer':
      return generateNumber(node, true);
    case 'number':
      return generateNumber(node, false);
    case 'boolean':
      return true;
    default:
      return null;
  }
}

/** 3.1 allows a list of types and 3.0 leaves it out: pick the first real one, or infer it. */
function readType(node: Node): string | undefined {
  const { type } = node;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t) => t !== 'null') ?? 'null';
  if (node.properties || node.required || node.additionalProperties) return 'object';
  if (node.items) return 'array';
  return undefined;
}

/**
 * Required properties, plus the optional ones whose value comes from an example or default
 * somewhere inside (as Prism's mocks have them), in the order the schema declares them.
 */
function generateObject(node: Node, walk: Walk, depth: number): Node {
  const properties = asNode(node.properties) ?? {};
  const required = new Set(Array.isArray(node.required) ? node.required : []);
  const value: Node = {};
  for (const [name, schema] of Object.entries(properties)) {
    // A response never carries writeOnly properties, even required ones (required in requests).
    if (asNode(schema)?.writeOnly === true) continue;
    const property = required.has(name)
      ? generateValue(schema, walk, depth + 1)
      : generateSampled(schema, walk, depth + 1);
    if (property !== undefined) value[name] = property;
  }
  for (const name of required) {
    if (typeof name !== 'string' || Object.hasOwn(properties, name)) continue;
    const property = generateValue({}, walk, depth + 1);
    if (property !== undefined) value[name] = property;
  }
  return value;
}

/** An optional property's value, or undefined unless an example or default went into it. */
function generateSampled(schema: unknown, walk: Walk, depth: number): unknown {
  // A response never carries writeOnly properties.
  if (walk.stepsLeft <= 0 || asNode(schema)?.writeOnly === true) return undefined;
  const before = walk.samples;
  const value = generateValue(schema, walk, depth);
  return walk.samples > before ? value : undefined;
}

function generateString(node: Node): string {
  const faked = fakeString(node);
  if (faked !== undefined) return faked;
  const format = typeof node.format === 'string' ? FORMAT_EXAMPLES[node.format] : undefined;
  if (format !== undefined) return format;
  const minLength = readNumber(node.minLength) ?? 0;
  const maxLength = readNumber(node.maxLength) ?? Infinity;
  return 'string'.padEnd(minLength, 'x').slice(0, maxLength);
}

function generateNumber(node: Node, integer: boolean): number {
  const step = readNumber(node.multipleOf) ?? (integer ? 1 : 0);
  // 3.0: `exclusiveMinimum: true` beside `minimum`; 3.1: `exclusiveMinimum: <number>`.
  const exclusiveMin = readNumber(node.exclusiveMinimum);
  const minimum = exclusiveMin ?? readNumber(node.minimum);
  const exclusive = exclusiveMin !== undefined || node.exclusiveMinimum === true;
  const maximum = readNumber(node.exclusiveMaximum) ?? readNumber(node.maximum);
  let value = minimum ?? Math.min(0, maximum ?? 0);
  if (exclusive && minimum !== undefined) value += step || 1;
  if (integer) value = Math.ceil(value);
  if (step) value = Math.ceil(value / step) * step;
  if (minimum === undefined && maximum !== undefined && value >= maximum && node.exclusiveMaximum) {
    value = maximum - (step || 1);
  }
  return value;
}

function readNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function asNode(value: unknown): Node | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Node)
    : undefined;
}

function isPlainObject(value: unknown): value is Node {
  return asNode(value) !== undefined;
}
