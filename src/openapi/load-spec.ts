import { resolve } from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';
import { SpectrometerError, type BootProblem } from '../errors';
import { checkDocument } from './check-document';
import { checkableView } from './checkable-view';
import { checkPaths } from './check-paths';
import { convertSwagger2, isSwagger2, pointIntoOriginal } from './convert-swagger2';
import { pointIntoSwagger2 } from './swagger2-pointers';
import { describeDerivedIds } from './derive-operation-id';
import { dereference } from './dereference';
import { listOperations } from './list-operations';
import type { Operation } from './operation';
import { readDocument } from './read-document';

/** A loaded, checked and fully dereferenced OpenAPI document. */
export interface LoadedSpec {
  /** The document with every `$ref` replaced by its target (cycles stay local `$ref`s). */
  document: OpenAPIV3.Document;
  /** Every operation of the document, in document order. */
  operations: Operation[];
  /** `'3.0'` or `'3.1'`. */
  version: '3.0' | '3.1';
  /**
   * The objects `$ref`s resolved to, each with its target: `#/components/schemas/Pet` in the root
   * document, `<absolute file>#<fragment>` elsewhere. Every use of a target is the same object.
   */
  refTargets: ReadonlyMap<object, string>;
  /** Absolute path of the file the document came from, when it came from a file. */
  file?: string;
  /** Set when the file was a Swagger 2.0 document, converted to OpenAPI 3.0 on load. */
  convertedFrom?: '2.0';
  /**
   * Points problems found later (by createApi, lint) into the document as the user wrote it: the
   * Swagger 2.0 original where the spec was converted, unchanged otherwise.
   */
  locate(problems: readonly BootProblem[]): BootProblem[];
}

/** Options of {@link loadSpec} and {@link inspectSpec}. */
export interface LoadSpecOptions {
  /** Let file `$ref`s leave the spec's folder tree (remote `http:` refs stay refused). @default false */
  allowExternalRefs?: boolean;
  /**
   * Says whether an operation that could never be reached (the same method on an earlier path
   * that differs only in parameter names) is a warning rather than a problem. @default never
   */
  mayBeUnreachable?: (operation: Operation) => boolean;
}

/** What {@link inspectSpec} found: the spec, what makes it unusable, and what it serves anyway. */
export interface SpecInspection {
  spec: LoadedSpec;
  /** What makes the document unusable; empty when it can be served. */
  problems: BootProblem[];
  /** What is served anyway, and how (e.g. derived operationIds); printed, never fatal. */
  warnings: BootProblem[];
}

/**
 * Loads an OpenAPI 3.0/3.1 (or Swagger 2.0, converted) document from a YAML/JSON file or an
 * object, resolves `$ref`s across files and checks it; throws one `SpectrometerError` listing
 * every problem.
 * @example
 * const { document, operations } = await loadSpec('specs/petstore.yaml');
 */
export async function loadSpec(
  source: string | object,
  options: LoadSpecOptions = {},
): Promise<LoadedSpec> {
  const { spec, problems } = await inspectSpec(source, options);
  if (problems.length) throw specInvalid(spec, problems);
  return spec;
}

/**
 * Like {@link loadSpec}, but returns the problems of a readable document instead of throwing, with
 * whatever operations could still be listed, so callers can report their own checks beside them.
 * Swagger 2.0 documents are converted to OpenAPI 3.0 first; their problems point into the
 * original where possible. Unreadable sources still throw `SPM_SPEC_LOAD`.
 */
export async function inspectSpec(
  source: string | object,
  options: LoadSpecOptions = {},
): Promise<SpecInspection> {
  const warnings: BootProblem[] = [];
  const file = typeof source === 'string' ? resolve(source) : undefined;
  if (source === null || (typeof source !== 'string' && typeof source !== 'object')) {
    throw new SpectrometerError(
      'SPM_SPEC_LOAD',
      `spec must be a file path or an object, got ${typeof source}`,
    );
  }
  const raw = file ? await readDocument(file) : structuredClone(source);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpectrometerError('SPM_SPEC_LOAD', `${file ?? 'spec'} does not hold an object`);
  }
  const swagger = isSwagger2(raw as object)
    ? await convertSwagger2(raw as object, file)
    : undefined;
  warnings.push(...(swagger?.warnings ?? []));
  // Relative $refs of an in-memory document are resolved from the working directory.
  const rootFile = file ?? resolve('openapi.inline.yaml');
  const {
    document,
    problems,
    warnings: refWarnings,
    targets,
  } = await dereference(swagger?.document ?? raw, rootFile, {
    allowExternalRefs: options.allowExternalRefs ?? false,
  });
  const refTargets = toRefTargets(targets, rootFile);
  problems.push(...checkDocument(checkableView(document, refTargets)));
  const openapi = document as unknown as OpenAPIV3.Document;
  const valid = problems.length === 0;
  const operations = valid ? listOperations(openapi) : listWhatCan(openapi);
  if (valid) {
    const paths = checkPaths(
      operations,
      options.mayBeUnreachable ? { mayBeUnreachable: options.mayBeUnreachable } : {},
    );
    problems.push(...paths.problems);
    warnings.push(...paths.warnings);
  }
  warnings.push(
    ...(swagger
      ? refWarnings.map((warning) => pointIntoSwagger2(warning, swagger.original, document))
      : refWarnings),
  );
  const derived = describeDerivedIds(operations);
  if (derived) warnings.push(derived);
  const version = String(openapi.openapi).startsWith('3.1') ? '3.1' : '3.0';
  return {
    spec: {
      document: openapi,
      operations,
      version,
      refTargets,
      ...(file ? { file } : {}),
      ...(swagger ? { convertedFrom: '2.0' as const } : {}),
      locate: (later) =>
        swagger
          ? later.map((problem) => pointIntoSwagger2(problem, swagger.original, document))
          : [...later],
    },
    problems: swagger ? pointIntoOriginal(swagger, problems, document) : problems,
    warnings,
  };
}

/** The error for a document with problems. */
export function specInvalid(spec: LoadedSpec, problems: BootProblem[]): SpectrometerError {
  return new SpectrometerError(
    'SPM_SPEC_INVALID',
    `${spec.file ?? 'the OpenAPI document'} has ${problems.length} problem(s)`,
    problems,
  );
}

// An invalid document may still have listable operations (a typo in a description, say).
function listWhatCan(document: OpenAPIV3.Document): Operation[] {
  try {
    return listOperations(document).filter((op) => typeof op.operation === 'object');
  } catch {
    return [];
  }
}

function toRefTargets(
  targets: ReadonlyMap<string, unknown>,
  rootFile: string,
): Map<object, string> {
  const byObject = new Map<object, string>();
  for (const [key, value] of targets) {
    if (!value || typeof value !== 'object') continue;
    byObject.set(value, key.startsWith(`${rootFile}#`) ? key.slice(rootFile.length) : key);
  }
  return byObject;
}
