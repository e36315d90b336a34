import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';

/** One validation issue inside a 400 problem. */
export interface ProblemIssue {
  /** Where: `body`, `query`, `path`, `header`, `cookie`. */
  in: string;
  /** JSON pointer inside that location, e.g. `/name`. */
  pointer: string;
  message: string;
  keyword?: string;
}

/** The fields of an RFC 9457 problem document. */
export interface ProblemDetails {
  status: number;
  title?: string;
  detail?: string;
  /** A URI reference; defaults to `about:blank`. */
  type?: string;
  /** A URI reference identifying this occurrence of the problem, e.g. `/v1/pets/42`. */
  instance?: string;
  errors?: ProblemIssue[];
  /** Response headers to send with the problem, e.g. `Allow` or `WWW-Authenticate`. */
  headers?: Record<string, string>;
}

/**
 * An error that becomes an `application/problem+json` response. Throw it from a handler.
 * @example
 * throw new HttpProblem({ status: 404, title: 'Not Found', detail: `no pet ${id}` });
 */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  readonly status: number;
  readonly title: string;
  readonly type: string;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: ProblemIssue[];
  readonly headers: Record<string, string>;

  constructor(problem: ProblemDetails) {
    // A problem is an error answer: a 2xx or 3xx "problem" would tell clients a lie.
    if (!Number.isInteger(problem.status) || problem.status < 400 || problem.status > 599) {
      throw new RangeError(`HttpProblem status must be 400-599, got ${String(problem.status)}`);
    }
    const title = problem.title ?? STATUS_CODES[problem.status] ?? 'Error';
    super(problem.detail ?? title);
    this.status = problem.status;
    this.title = title;
    this.type = problem.type ?? 'about:blank';
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.errors = problem.errors;
    this.headers = problem.headers ?? {};
  }

  /** The JSON body of the problem document. */
  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = {
      type: this.type,
      title: this.title,
      status: this.status,
    };
    if (this.detail !== undefined) body.detail = this.detail;
    if (this.instance !== undefined) body.instance = this.instance;
    if (this.errors) body.errors = this.errors;
    return body;
  }
}

/** Writes a problem as `application/problem+json` (unless the response already started). */
export function sendProblem(res: Response, problem: HttpProblem): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res.status(problem.status);
  res.setHeader('Content-Type', 'application/problem+json');
  res.end(JSON.stringify(problem.toJSON()));
}
