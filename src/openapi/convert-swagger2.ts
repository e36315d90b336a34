import { SpectrometerError, type BootProblem } from '../errors';
import { parsePointer, resolvePointer, toPointer } from './json-pointer';
import { pointIntoSwagger2 } from './swagger2-pointers';

type Node = Record<string, unknown>;

/** A Swagger 2.0 document converted to OpenAPI 3.0. */
export interface Swagger2Conversion {
  /** The Swagger 2.0 document. */
  original: Node;
  /** The OpenAPI 3.0 document, `$ref`s not resolved yet. */
  document: Node;
  /** Found before the conversion (local `$ref`s to nothing), pointing into the original. */
  problems: BootProblem[];
  /** The conversion itself, and what the converter could not carry over. */
  warnings: BootProblem[];
}

type Converter = typeof import('swagger2openapi');
// The converter (and its own YAML parser and fetch) is loaded only when a Swagger 2.0 spec is.
const loadConverter = (): Converter => require('swagger2openapi') as Converter;

const WARNING = 'x-s2o-warning';

/**
 * Whether a document is Swagger 2.0 (or older): it has `swagger` and no `openapi`.
 * @example
 * isSwagger2({ swagger: '2.0', info: {}, paths: {} }) // true
 */
export function isSwagger2(document: object): boolean {
  return 'swagger' in document && !('openapi' in document);
}

/**
 * Converts a Swagger 2.0 document to OpenAPI 3.0 with swagger2openapi. Nothing is fetched and no
 * `$ref` is resolved (the caller's `dereference` does that, with its rules); minor mistakes are
 * patched; local `$ref`s to nothing are reported here, as the converter drops such parameters.
 * A document the converter refuses is an `SPM_SPEC_INVALID` error.
 * @example
 * const { document, problems, warnings } = await convertSwagger2(raw, '/abs/swagger.yaml');
 */
export async function convertSwagger2(raw: object, file?: string): Promise<Swagger2Conversion> {
  const original = raw as Node;
  const problems = findRefsToNothing(original);
  let converted: Node;
  try {
    const result = await loadConverter().convertObj(original as never, {
      patch: true, // fix what has one obvious fix (a missing response description, ...)
      warnOnly: true, // leave x-s2o-warning notes instead of failing on what is lossy
      resolve: false, // neither files nor URLs are read by the converter
      anchors: true, // YAML aliases (shared objects) are copied instead of refused
      text: '-', // the converter would otherwise serialise the whole document to YAML, unused
    });
    converted = result.openapi as unknown as Node;
  } catch (error) {
    const reason = (error as Error).message;
    problems.push({
      pointer: '#/swagger',
      message: `the Swagger ${String(original.swagger)} document could not be converted to OpenAPI 3.0 by swagger2openapi: ${reason}`,
      hint: 'fix the document, or convert it yourself and pass the OpenAPI 3 document',
    });
    const name = file ?? 'the OpenAPI document';
    throw new SpectrometerError(
      'SPM_SPEC_INVALID',
      `${name} has ${problems.length} problem(s)`,
      problems,
    );
  }
  const warnings: BootProblem[] = [
    {
      pointer: '#/swagger',
      message: 'converted from Swagger 2.0 with swagger2openapi',
    },
    ...takeConverterWarnings(converted).map((warning) =>
      pointIntoSwagger2(warning, original, converted),
    ),
  ];
  return { original, document: converted, problems, warnings };
}

/**
 * The conversion's own problems, then the problems found in the converted document, pointed
 * into the Swagger 2.0 one where possible (others say they are about the converted document).
 * @example
 * pointIntoOriginal(conversion, problems, dereferencedDocument)
 */
export function pointIntoOriginal(
  conversion: Swagger2Conversion,
  problems: readonly BootProblem[],
  converted: unknown,
): BootProblem[] {
  const key = (problem: BootProblem): string => `${problem.pointer} ${problem.message}`;
  // A $ref to nothing is found both before the conversion and, unless dropped, after it; a
  // mistake in a definition is found at each use, which all point to the definition here.
  const seen = new Set(conversion.problems.map(key));
  const found = problems
    .map((problem) => pointIntoSwagger2(problem, conversion.original, converted))
    .filter((problem) => !seen.has(key(problem)) && seen.add(key(problem)));
  return [...conversion.problems, ...found];
}

// Local $refs are checked before conversion: the converter silently drops a parameter whose
// $ref points to nothing. The message is the one dereference gives.
function findRefsToNothing(document: Node): BootProblem[] {
  const problems: BootProblem[] = [];
  const visit = (node: unknown, at: string[]): void => {
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...at, `${i}`]));
    else if (node && typeof node === 'object') {
      const ref = (node as Node).$ref;
      if (typeof ref === 'string' && ref.startsWith('#')) {
        if (resolvePointer(document, parsePointer(ref.slice(1))) === undefined) {
          const pointer = toPointer(at);
          problems.push({ pointer, message: `$ref "${ref}" at ${pointer} points to nothing` });
        }
      }
      for (const [key, value] of Object.entries(node)) visit(value, [...at, key]);
    }
  };
  visit(document, []);
  return problems;
}

/** Removes the converter's `x-s2o-warning` notes, returning them as warnings. */
function takeConverterWarnings(document: Node): BootProblem[] {
  const warnings: BootProblem[] = [];
  const visit = (node: unknown, at: string[]): void => {
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...at, `${i}`]));
    else if (node && typeof node === 'object') {
      const record = node as Node;
      if (typeof record[WARNING] === 'string') {
        warnings.push({ pointer: toPointer(at), message: `swagger2openapi: ${record[WARNING]}` });
        delete record[WARNING];
      }
      for (const [key, value] of Object.entries(record)) visit(value, [...at, key]);
    }
  };
  visit(document, []);
  return warnings;
}
