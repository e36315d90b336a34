import { JSONSchemaFaker } from 'json-schema-faker';

/** What json-schema-faker reads of a string schema. */
export interface StringSchema {
  pattern?: unknown;
  format?: unknown;
  minLength?: unknown;
  maxLength?: unknown;
}

let configured = false;

/**
 * A string valid against `schema`'s `pattern` (through randexp) or `format`, from
 * json-schema-faker, or undefined when it knows neither (formats such as `byte` or `int64`).
 * The same schema always gives the same string: the faker's random source is re-seeded from the
 * schema each time, so a mock answers the same body on every request.
 * @example
 * fakeString({ pattern: '^[A-Z]{3}-\\d{4}$' }) // e.g. 'FBR-9358'
 */
export function fakeString(schema: StringSchema): string | undefined {
  if (typeof schema.pattern !== 'string' && typeof schema.format !== 'string') return undefined;
  const leaf = {
    type: 'string' as const,
    ...(typeof schema.pattern === 'string' ? { pattern: schema.pattern } : {}),
    ...(typeof schema.format === 'string' ? { format: schema.format } : {}),
    ...(typeof schema.minLength === 'number' ? { minLength: schema.minLength } : {}),
    ...(typeof schema.maxLength === 'number' ? { maxLength: schema.maxLength } : {}),
  };
  configure();
  JSONSchemaFaker.option({ random: seededRandom(JSON.stringify(leaf)) });
  try {
    const value: unknown = JSONSchemaFaker.generate(leaf);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined; // a format it has no generator for: the caller's table decides
  }
}

function configure(): void {
  if (configured) return;
  configured = true;
  JSONSchemaFaker.option({
    failOnInvalidFormat: true,
    failOnInvalidTypes: false,
    useExamplesValue: false,
    useDefaultValue: false,
    // Short, readable dates: the faker's default range starts in 1889.
    minDateTime: '2020-01-01T00:00:00.000Z',
    maxDateTime: '2030-01-01T00:00:00.000Z',
    maxRegexRetry: 100,
  });
}

// Park-Miller: small, good enough for sample data, and the same sequence for the same seed.
function seededRandom(seedText: string): () => number {
  let state = 0;
  for (let i = 0; i < seedText.length; i++)
    state = (state * 31 + seedText.charCodeAt(i)) % 2147483647;
  if (state <= 0) state += 2147483646;
  return () => {
    state = (state * 16807) % 2147483647;
    return (state - 1) / 2147483646;
  };
}
