import type { ErrorObject } from 'ajv';
import type { BootProblem } from '../errors';
import { loadEov } from '../adapters/express-openapi-validator';

// express-openapi-validator ships the official OpenAPI 3.0 and 3.1 JSON Schemas with an ajv set-up
// for them; we reuse it (through its adapter) rather than vendoring the schemas a second time.

const MAX_PROBLEMS = 50;

/**
 * Checks a dereferenced document against the OpenAPI 3.0 / 3.1 JSON Schema.
 * @returns every problem found, each with its JSON pointer (empty when valid)
 * @example
 * checkDocument({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} }) // []
 */
export function checkDocument(document: Record<string, unknown>): BootProblem[] {
  const version = document.openapi;
  if (typeof version !== 'string' || !/^3\.[01]\.\d+/.test(version)) {
    return [
      {
        pointer: '#/openapi',
        message: `expected an OpenAPI 3.0.x or 3.1.x document, got openapi: ${JSON.stringify(version)}`,
      },
    ];
  }
  const validate = loadEov().createSchemaValidator(version);
  return toProblems(validate(document));
}

const SUMMARIES = ['oneOf', 'anyOf', 'if'];

// A `pattern` that is no regular expression to ajv-formats (`\A...\Z`) is its schema's problem,
// not the document's: lint reports it when it compiles the schema, and only its operation fails.
const isPatternFormat = (e: ErrorObject): boolean =>
  e.keyword === 'format' && (e.params as { format?: unknown }).format === 'regex';

// A Reference branch of a oneOf that did not match either: "missing required $ref".
const isRefBranch = (e: ErrorObject): boolean =>
  e.keyword === 'required' &&
  (e.params as { missingProperty?: unknown }).missingProperty === '$ref';

function withoutPatternErrors(errors: ErrorObject[]): ErrorObject[] {
  const patterns = errors.filter(isPatternFormat).map((e) => e.instancePath);
  if (patterns.length === 0) return errors;
  // The oneOf summaries and "not a Reference either" branches above it say nothing more.
  const aboveAPattern = (e: ErrorObject): boolean =>
    (SUMMARIES.includes(e.keyword) || isRefBranch(e)) &&
    patterns.some((path) => path.startsWith(e.instancePath));
  return errors.filter((e) => !isPatternFormat(e) && !aboveAPattern(e));
}

function toProblems(all: ErrorObject[]): BootProblem[] {
  const errors = withoutPatternErrors(all);
  // The OpenAPI schemas use oneOf/anyOf everywhere ("a Reference or a Schema"); the branch errors
  // say more than the summary, so a summary is only kept when nothing deeper was reported.
  const specific = errors.filter((e) => !SUMMARIES.includes(e.keyword));
  const chosen = withoutReferenceBranch(specific.length ? specific : errors);
  const seen = new Set<string>();
  const problems: BootProblem[] = [];
  for (const error of chosen) {
    const pointer = `#${error.instancePath}`;
    const message = describe(error);
    const key = `${pointer} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ pointer, message });
  }
  return problems.slice(0, MAX_PROBLEMS);
}

// The document is dereferenced, so "missing $ref" only says that the Reference branch of a
// oneOf did not match either; next to (or above) the real problem it is noise.
function withoutReferenceBranch(errors: ErrorObject[]): ErrorObject[] {
  const within = (path: string, at: string): boolean => path === at || path.startsWith(`${at}/`);
  return errors.filter(
    (e) =>
      !isRefBranch(e) ||
      !errors.some(
        (other) => other !== e && !isRefBranch(other) && within(other.instancePath, e.instancePath),
      ),
  );
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    return `unexpected property "${String(params.additionalProperty)}"`;
  }
  if (error.keyword === 'unevaluatedProperties') {
    return `unexpected property "${String(params.unevaluatedProperty)}"`;
  }
  if (error.keyword === 'required')
    return `missing required property "${String(params.missingProperty)}"`;
  return error.message ?? `fails ${error.keyword}`;
}
