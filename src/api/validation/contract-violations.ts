import type { Request } from 'express';
import type { Counter, Registry } from 'prom-client';
import { defineMetric } from '../../metrics/metric-definition';
import { escapePointerToken } from '../../openapi/json-pointer';
import { toProblem } from '../response/error-problems';
import type { RoutedOperation } from '../types';

/** Responses that broke the spec while `validation.responses` is `'report'`. */
export const CONTRACT_VIOLATIONS_METRIC = 'spectrometer_contract_violations_total';

/** What report mode does with a response that breaks the spec, instead of replacing it. */
export interface ContractReport {
  /** Share of responses checked, from 0 to 1. */
  sampleRate: number;
  /** Counts the violation and logs it in one line. */
  record(req: Request, status: number, error: unknown): void;
}

/**
 * Builds the report of one operation: each violation adds one to
 * `spectrometer_contract_violations_total{operation,status}` and logs one line naming where the
 * spec declares the response and what broke it, e.g.
 * `… getPet answered 200, which #/paths/~1pets~1{petId}/get/responses/200 does not allow: /name must be string`.
 * @example
 * buildContractReport(operation, metrics.registry, logger, 0.1)
 */
export function buildContractReport(
  operation: RoutedOperation,
  registry: Registry,
  logger: { warn(message: string): void },
  sampleRate: number,
): ContractReport {
  const counter = defineMetric(registry, {
    name: CONTRACT_VIOLATIONS_METRIC,
    help: "Responses sent although they break the spec (validation.responses: 'report')",
    type: 'counter',
    labelNames: ['operation', 'status'],
  }) as Counter<'operation' | 'status'>;
  const { operationId } = operation;
  return {
    sampleRate,
    record(req, status, error) {
      counter.inc({ operation: operationId, status: String(status) });
      const issues = toProblem(error).problem.errors ?? [];
      const what = issues.length
        ? issues.map((issue) => `${issue.pointer || '/'} ${issue.message}`).join('; ')
        : error instanceof Error
          ? error.message
          : String(error);
      logger.warn(
        `spectrometer: contract violation: ${req.method} ${req.originalUrl} (operation ${operationId}) ` +
          `answered ${status}, which ${declaredAt(operation, status)} does not allow: ${what}`,
      );
    },
  };
}

// The response the status falls under: its exact code, then 2XX, then default; else the list.
function declaredAt(operation: RoutedOperation, status: number): string {
  const responses = operation.operation.responses ?? {};
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((candidate) =>
    Object.hasOwn(responses, candidate),
  );
  return `${operation.pointer}/responses${key ? `/${escapePointerToken(key)}` : ''}`;
}
