import type { BootProblem } from '../../errors';
import type { LoadedSpec } from '../../openapi/load-spec';
import { resolveApiOptions } from './api-options';
import { checkMetricsPath } from './boot-checks';
import { createOpenApiValidation } from '../validation/openapi-validation';
import { routeOperations } from './routed-operation';
import { toBasePath } from '../../openapi/base-path';
import { describeUnknownFormats } from '../validation/unknown-formats';

/** What {@link checkServable} found. */
export interface Servability {
  problems: BootProblem[];
  warnings: BootProblem[];
}

/**
 * Runs, for a loaded spec, every check a boot runs that does not depend on handlers, plus what a
 * boot leaves to each operation's first request: compiling every request and response validator.
 * `lint` reports these, so a boot never finds a problem `lint` did not.
 * @example
 * const { problems, warnings } = checkServable(spec);
 */
export function checkServable(spec: LoadedSpec, metricsPath?: unknown): Servability {
  const options = resolveApiOptions({ spec: spec.document, missingHandler: 'mock' });
  const basePath = toBasePath(spec.document.servers, undefined);
  const operations = routeOperations(spec.operations, spec.document, options, basePath);
  const validation = createOpenApiValidation(spec, {
    requests: true,
    responses: true,
    allowUnknownQueryParameters: false,
  });
  return {
    problems: [...checkMetricsPath(operations, metricsPath), ...validation.compileAll(operations)],
    warnings: describeUnknownFormats(validation.unknownFormats),
  };
}
