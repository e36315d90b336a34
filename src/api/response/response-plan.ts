// What the response converter decides from the spec alone: default statuses and, for clients that
// accept anything, the content type per status and kind of body.
import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { chooseMediaType, findResponse, type BodyKind } from './content-negotiation';

type Responses = Record<string, unknown> | undefined;

/** What the converter decides once per operation instead of per request. */
export interface ResponsePlan {
  responses: Responses;
  /** The status of a result with a body, when neither handler nor reply chose one. */
  defaultStatus: number;
  /** The same for a result without a body (`noContent()`). */
  emptyStatus: number;
  /** Negotiated media types when the client accepts anything, by status and body kind. */
  anyAccepted: Map<string, string>;
}

const plans = new WeakMap<object, ResponsePlan>();

/**
 * The response plan of an operation, made on its first response and kept with the operation.
 * @example
 * planFor(operation).defaultStatus // 201 for an operation whose only 2xx is 201
 */
export function planFor(
  operation: OpenAPIV3.OperationObject | OpenAPIV3_1.OperationObject,
): ResponsePlan {
  let plan = plans.get(operation);
  if (!plan) {
    const responses = operation.responses as Responses;
    plan = {
      responses,
      defaultStatus: findDefaultStatus(responses),
      emptyStatus: findEmptyStatus(responses),
      anyAccepted: new Map(),
    };
    plans.set(operation, plan);
  }
  return plan;
}

/**
 * The media type for a result of `kind` with `status`. Without `Accept` (or with `*\/*`) the
 * answer depends on the operation alone, so it is computed once.
 */
export function negotiate(
  plan: ResponsePlan,
  status: number,
  kind: BodyKind,
  accept: string | undefined,
): string {
  const acceptsAnything = accept === undefined || accept === '*/*';
  const key = `${status} ${kind}`;
  if (acceptsAnything) {
    const known = plan.anyAccepted.get(key);
    if (known !== undefined) return known;
  }
  const declared = Object.keys(findResponse(plan.responses, status)?.content ?? {});
  const chosen = chooseMediaType(declared, accept, kind, status);
  if (acceptsAnything) plan.anyAccepted.set(key, chosen);
  return chosen;
}

/** The operation's only declared 2xx (e.g. 201 for a create), else 200. */
function findDefaultStatus(responses: Responses): number {
  const codes = Object.keys(responses ?? {})
    .filter((key) => /^2\d\d$/.test(key))
    .map(Number);
  if (codes.length === 1) return codes[0] ?? 200;
  if (codes.includes(200) || codes.length === 0) return 200;
  const withContent = codes.filter((code) => findResponse(responses, code)?.content);
  return withContent.length === 1 ? (withContent[0] ?? 200) : 200;
}

function findEmptyStatus(responses: Responses): number {
  return responses?.['204'] ? 204 : findDefaultStatus(responses);
}
