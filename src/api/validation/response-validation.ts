import type { Request, Response } from 'express';
import { sendProblem } from '../response/http-problem';
import { ServerFault, toProblem } from '../response/error-problems';
import { logUnhandledError } from '../../metrics/app-tracking';
import type { PipelineStep } from '../request/pipeline';
import type { ContractReport } from './contract-violations';

/** Validates one finished response; throws when it does not match the spec. */
export type ValidateResponse = (
  req: Request,
  status: number,
  contentType: string,
  body: unknown,
) => void;

/**
 * Builds the step that checks what is actually sent: it intercepts `res.end`, so every way of
 * writing a response (the converter, `res.json`, a handler writing to `res`) is covered. JSON
 * bodies are checked against their schema, every status against the declared responses; a
 * mismatch is replaced by a 500 problem, counted as an exception and logged. Streamed bodies (`res.write`) are not buffered to check.
 * With a `report` (`validation.responses: 'report'`) the response goes out as the handler made
 * it; a mismatch is only counted and logged, and only `report.sampleRate` of responses are checked.
 * @example
 * buildResponseValidationStep(validation.validateResponse)
 */
export function buildResponseValidationStep(
  validate: ValidateResponse,
  report?: ContractReport,
): PipelineStep {
  return function validateResponse({ req, res, state }) {
    if (report && report.sampleRate < 1 && Math.random() >= report.sampleRate) return;
    const end = res.end as (...args: unknown[]) => Response;
    res.end = function checkResponse(this: Response, ...args: unknown[]): Response {
      res.end = end as Response['end'];
      const [chunk] = args;
      // HEAD answers carry no body to check (their GET twin's is checked on GET).
      if (res.statusCode >= 500 || res.headersSent || req.method === 'HEAD')
        return end.apply(this, args);
      const contentType = String(res.getHeader('content-type') ?? '');
      const text = typeof chunk === 'string' || Buffer.isBuffer(chunk) ? chunk.toString() : '';
      // Only JSON bodies are checked; an empty one of another type (a zero-byte image) too.
      if (contentType && !/[/+]json\b/i.test(contentType)) return end.apply(this, args);
      try {
        validate(
          req,
          res.statusCode,
          contentType,
          text ? (JSON.parse(text) as unknown) : undefined,
        );
      } catch (error) {
        if (report) {
          report.record(req, res.statusCode, error);
          return end.apply(this, args);
        }
        // Every 500 we send is an exception, logged once: here the handler broke the contract.
        state.exception = error;
        if (!(error instanceof ServerFault && error.logged)) logUnhandledError(req.app, error);
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        sendProblem(res, toProblem(error).problem);
        return res;
      }
      return end.apply(this, args);
    } as Response['end'];
  };
}
