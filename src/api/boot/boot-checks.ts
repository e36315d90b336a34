import type { OpenAPIV3 } from 'openapi-types';
import type { BootProblem } from '../../errors';
import { deriveOperationId } from '../../openapi/derive-operation-id';
import type { Operation } from '../../openapi/operation';
import type { MissingHandler } from './api-options';
import type { RoutedOperation } from '../types';
import { findNearMiss } from '../../did-you-mean';

/**
 * Checks operationIds and handlers against each other: duplicate operationIds, missing ones when
 * `strict` (derived ids are served otherwise), operations without a handler (when
 * `missingHandler` is `'error'`) and handler keys that match no operation, with a "did you mean"
 * for near misses.
 * @example
 * checkHandlers(operations, { listPet }, 'error') // [{ message: 'handler "listPet" matches no operation', hint: 'did you mean "listPets"?' }, ...]
 */
export function checkHandlers(
  operations: readonly Operation[],
  handlers: Record<string, unknown>,
  missingHandler: MissingHandler,
  strict = false,
): BootProblem[] {
  const problems: BootProblem[] = [];
  const firstByOperationId = new Map<string, Operation>();
  for (const op of operations) {
    const where = { method: op.method, path: op.path };
    if (!op.operationId || (strict && op.derivedOperationId)) {
      problems.push({
        ...where,
        pointer: `${op.pointer}/operationId`,
        message: 'operation has no operationId',
        hint: `add e.g. "operationId: ${op.operationId || deriveOperationId(op.method, op.path)}"`,
      });
      continue;
    }
    const first = firstByOperationId.get(op.operationId);
    if (first) {
      problems.push({
        ...where,
        operationId: op.operationId,
        pointer: `${op.pointer}/operationId`,
        message: `operationId "${op.operationId}" is already used by ${first.method.toUpperCase()} ${first.path} (${first.pointer})`,
        hint: 'operationIds must be unique',
      });
      continue;
    }
    firstByOperationId.set(op.operationId, op);
  }
  const handlerKeys = Object.keys(handlers);
  const leftovers = handlerKeys.filter((key) => !firstByOperationId.has(key));
  if (missingHandler === 'error') {
    for (const [operationId, op] of firstByOperationId) {
      if (Object.prototype.hasOwnProperty.call(handlers, operationId)) continue;
      const nearMiss = findNearMiss(operationId, leftovers);
      problems.push({
        operationId,
        method: op.method,
        path: op.path,
        pointer: op.pointer,
        message: `no handler for operationId "${operationId}"`,
        hint: nearMiss
          ? `handlers has "${nearMiss}": a typo?`
          : `add handlers.${operationId}${op.derivedOperationId ? ` (the id derived from ${op.method.toUpperCase()} ${op.path})` : ''}, or set missingHandler: 'not-implemented' or 'mock'`,
      });
    }
  }
  for (const key of leftovers) {
    const nearMiss = findNearMiss(key, firstByOperationId.keys());
    problems.push({
      message: `handler "${key}" matches no operationId of the spec`,
      hint: nearMiss
        ? `did you mean "${nearMiss}"?`
        : `known operationIds: ${[...firstByOperationId.keys()].join(', ')}`,
    });
  }
  return problems;
}

/** What {@link checkSecurity} found: boot problems, and what is served anyway. */
export interface SecurityChecks {
  problems: BootProblem[];
  /** In mock mode, the one warning naming the schemes whose credentials are only looked for. */
  warnings: BootProblem[];
}

/**
 * Checks security: every scheme an operation requires exists and has a handler (a scheme without
 * one would be an open door), and every security handler names a declared scheme. With
 * `missingHandler: 'mock'`, a scheme without a handler is mocked (any request carrying its
 * credential is let in): one warning names them.
 * @example
 * checkSecurity(document, operations, {}, 'error').problems // [{ message: 'security scheme "bearerAuth" has no handler', ... }]
 */
export function checkSecurity(
  document: OpenAPIV3.Document,
  operations: readonly Operation[],
  handlers: Record<string, unknown>,
  missingHandler: MissingHandler = 'error',
): SecurityChecks {
  const problems: BootProblem[] = [];
  const mocked: string[] = [];
  const schemes = document.components?.securitySchemes ?? {};
  const reported = new Set<string>();
  for (const op of operations) {
    const requirements = op.operation.security ?? document.security ?? [];
    const pointer = op.operation.security ? `${op.pointer}/security` : '#/security';
    for (const name of requirements.flatMap((requirement) => Object.keys(requirement))) {
      if (reported.has(name)) continue;
      const where = { pointer, operationId: op.operationId, method: op.method, path: op.path };
      if (!schemes[name]) {
        reported.add(name);
        const nearMiss = findNearMiss(name, Object.keys(schemes));
        problems.push({
          ...where,
          message: `security scheme "${name}" is not declared under components.securitySchemes`,
          hint: nearMiss ? `did you mean "${nearMiss}"?` : undefined,
        });
      } else if (typeof handlers[name] !== 'function') {
        reported.add(name);
        if (missingHandler === 'mock') mocked.push(name);
        else
          problems.push({
            ...where,
            message: `security scheme "${name}" has no handler, so requests could not be authenticated`,
            hint: `add security.${name}: (ctx, scopes) => boolean`,
          });
      }
    }
  }
  for (const key of Object.keys(handlers)) {
    if (schemes[key]) continue;
    const nearMiss = findNearMiss(key, Object.keys(schemes));
    problems.push({
      message: `security handler "${key}" matches no security scheme of the spec`,
      hint: nearMiss
        ? `did you mean "${nearMiss}"?`
        : `declared schemes: ${Object.keys(schemes).join(', ') || 'none'}`,
    });
  }
  return { problems, warnings: mocked.length ? [describeMocked(mocked)] : [] };
}

function describeMocked(names: readonly string[]): BootProblem {
  const list = names.map((name) => `"${name}"`).join(', ');
  return {
    message: `security ${names.length === 1 ? 'scheme' : 'schemes'} ${list} ${names.length === 1 ? 'has' : 'have'} no handler: mocked, any request carrying the credential a scheme asks for is let in`,
    hint: `add security.${names[0] as string}: (ctx, scopes) => boolean to check credentials`,
  };
}

/**
 * An operation at the metrics endpoint's path (GET or HEAD) would never run: the endpoint is
 * mounted ahead of the operations. Paths compare as Express matches them (any case, a trailing
 * slash); templated paths only lose that one value and are left alone.
 * @example
 * checkMetricsPath(operations, undefined) // [{ message: 'GET /metrics is the metrics endpoint's path: ...' }]
 */
export function checkMetricsPath(
  operations: readonly RoutedOperation[],
  path: unknown,
): BootProblem[] {
  const metricsPath = path === undefined ? '/metrics' : path;
  if (typeof metricsPath !== 'string' || !metricsPath) return [];
  const normal = (p: string): string => p.replace(/\/+$/, '').toLowerCase() || '/';
  return operations
    .filter(
      (op) =>
        (op.method === 'get' || op.method === 'head') &&
        !op.routeTemplate.includes('{') &&
        normal(op.routeTemplate) === normal(metricsPath),
    )
    .map((op) => ({
      operationId: op.operationId,
      method: op.method,
      path: op.path,
      pointer: op.pointer,
      message: `${op.method.toUpperCase()} ${op.routeTemplate} is the metrics endpoint's path: operation "${op.operationId}" would never run`,
      hint: "serve the metrics elsewhere: metrics: { path: '/internal/metrics' }, or path: null and metrics.startHttpServer(port)",
    }));
}
