import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SpectrometerError } from '../errors';

/** A package whose internals an adapter relies on. */
export interface Dependency {
  /** Its npm name, e.g. `prom-client`. */
  name: string;
  /** The versions the adapter is written and tested for: the range in spectrometer's package.json. */
  range: string;
}

/** One internal an adapter relies on: how to name it, and whether a loaded module still has it. */
export interface Reliance<M> {
  /** What is relied on, as a reader would look it up, e.g. `Registry#setDefaultLabels stores the labels (object)`. */
  internal: string;
  /** True when `module` has the internal in the expected shape (a throw counts as false). */
  holds(module: M): boolean;
}

/**
 * Checks every reliance on `module` and throws one `SPM_DEPENDENCY` error listing all that fail.
 * @param version the installed version, for the message @default read from the package
 * @example
 * checkReliances({ name: 'prom-client', range: '^15.1.3' }, promClient, RELIANCES);
 */
export function checkReliances<M>(
  dependency: Dependency,
  module: M,
  reliances: readonly Reliance<M>[],
  version?: string,
): void {
  const missing = reliances.filter((reliance) => !holdsSafely(reliance, module));
  if (missing.length === 0) return;
  throw dependencyError(
    dependency,
    missing.map((reliance) => reliance.internal),
    version,
  );
}

/**
 * The `SPM_DEPENDENCY` error for internals of `dependency` that are missing or changed.
 * @example
 * throw dependencyError(EOV, ["RequestValidator#validate (function)"]);
 */
export function dependencyError(
  dependency: Dependency,
  missing: readonly string[],
  version = installedVersion(dependency.name),
): SpectrometerError {
  const { name, range } = dependency;
  return new SpectrometerError(
    'SPM_DEPENDENCY',
    `${name} ${version} is installed, but spectrometer supports ${name} ${range} and relies on ` +
      `internals this version lacks; install a supported version (npm install "${name}@${range}")`,
    missing.map((internal) => ({ message: `missing or changed: ${internal}` })),
  );
}

/**
 * The version of an installed package, read from its package.json (found by resolving the
 * package when its `exports` hide package.json); `'(unknown version)'` when neither works.
 * @example
 * installedVersion('prom-client') // '15.1.3'
 */
export function installedVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return versionNear(name) ?? '(unknown version)';
  }
}

function versionNear(name: string): string | undefined {
  try {
    let folder = dirname(require.resolve(name));
    for (;;) {
      const pkg = readPackage(join(folder, 'package.json'));
      if (pkg?.name === name) return pkg.version;
      const parent = dirname(folder);
      if (parent === folder) return undefined;
      folder = parent;
    }
  } catch {
    return undefined;
  }
}

function readPackage(file: string): { name?: string; version?: string } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
  } catch {
    return undefined;
  }
}

function holdsSafely<M>(reliance: Reliance<M>, module: M): boolean {
  try {
    return reliance.holds(module);
  } catch {
    return false;
  }
}

/**
 * Whether `owner[name]` is a function taking `arity` parameters (any count when omitted).
 * @example
 * isMethod(RequestValidator.prototype, 'buildMiddleware', 4) // true
 */
export function isMethod(owner: unknown, name: string, arity?: number): boolean {
  const value = (owner as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'function' && (arity === undefined || value.length === arity);
}

/**
 * Whether `value` is a class or function with a prototype (what `new` needs).
 * @example
 * isClass(Registry) // true
 */
export function isClass(value: unknown): value is new (...args: never[]) => unknown {
  return typeof value === 'function' && typeof value.prototype === 'object';
}
