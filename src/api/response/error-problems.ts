import { HttpProblem, type ProblemIssue } from './http-problem';

// express-openapi-validator's errors, recognised by shape (its classes may come from another copy).
interface ValidatorError {
  status: number;
  message: string;
  headers?: Record<string, string>;
  errors?: Array<{ path?: string; message?: string; errorCode?: string }>;
}

// body-parser's errors (http-errors): `type` says what went wrong.
interface BodyParserError {
  type: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message: string;
  limit?: number;
}

/**
 * A 500 of spectrometer's own making (a schema ajv cannot compile, a response that breaks the
 * spec): the client gets `problem`; the request counts as an exception and the cause is logged.
 * `logged` is true once the cause has been logged, for faults that repeat on every request.
 */
export class ServerFault extends Error {
  override name = 'ServerFault';
  constructor(
    readonly problem: HttpProblem,
    message: string,
    readonly logged = false,
  ) {
    super(message);
  }
}

/** A problem for an error, and whether the error was unexpected (a bug: counted as exception). */
export interface MappedError {
  problem: HttpProblem;
  unexpected: boolean;
}

const LOCATIONS: Record<string, string> = {
  body: 'body',
  query: 'query',
  params: 'path',
  path: 'path',
  headers: 'header',
  cookies: 'cookie',
  response: 'response',
};

/**
 * Turns anything thrown while serving a request into an RFC 9457 problem. Unknown errors become a
 * 500 without their message or stack: those belong in logs, not in responses.
 * @example
 * toProblem(new SyntaxError('x')) // { problem: HttpProblem(500), unexpected: true }
 */
export function toProblem(error: unknown): MappedError {
  if (error instanceof HttpProblem) return { problem: error, unexpected: false };
  if (error instanceof ServerFault) return { problem: error.problem, unexpected: true };
  if (isBodyParserError(error)) return { problem: fromBodyParser(error), unexpected: false };
  if (isValidatorError(error)) return { problem: fromValidator(error), unexpected: false };
  const clientStatus = clientErrorStatus(error);
  if (clientStatus !== undefined) {
    // http-errors style (`createError(404)`, Express's own 400 for an undecodable path): an answer.
    const { expose, message } = error as { expose?: unknown; message?: unknown };
    const detail = expose !== false && typeof message === 'string' ? message : undefined;
    return {
      problem: new HttpProblem({ status: clientStatus, ...(detail ? { detail } : {}) }),
      unexpected: false,
    };
  }
  return {
    problem: new HttpProblem({ status: 500, detail: 'The server failed to handle the request.' }),
    unexpected: true,
  };
}

function clientErrorStatus(error: unknown): number | undefined {
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  return typeof code === 'number' && code >= 400 && code < 500 ? code : undefined;
}

function isValidatorError(error: unknown): error is ValidatorError {
  const candidate = error as ValidatorError | undefined;
  return (
    typeof candidate?.status === 'number' &&
    Array.isArray(candidate.errors) &&
    'path' in (error as object)
  );
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const type = (error as BodyParserError | undefined)?.type;
  return typeof type === 'string' && /^(entity|request|encoding|charset|stream)\./.test(type);
}

function fromValidator(error: ValidatorError): HttpProblem {
  const issues = (error.errors ?? []).map(toIssue);
  if (error.status === 400) {
    return new HttpProblem({
      status: 400,
      detail: `the request does not match the API description: ${issues.length} problem(s)`,
      errors: issues,
    });
  }
  if (error.status === 500) {
    return new HttpProblem({
      status: 500,
      title: 'Response Validation Failed',
      detail: 'the handler produced a response that does not match the API description',
      errors: issues,
    });
  }
  return new HttpProblem({ status: error.status, detail: error.message, headers: error.headers });
}

function toIssue(entry: { path?: string; message?: string; errorCode?: string }): ProblemIssue {
  const path = entry.path ?? '';
  const [, first = '', ...rest] = path.split('/');
  const location = LOCATIONS[first];
  const issue: ProblemIssue = {
    in: location ?? 'request',
    pointer: location ? (rest.length ? `/${rest.join('/')}` : '') : path,
    message: entry.message ?? 'is invalid',
  };
  const keyword = entry.errorCode?.replace(/\.openapi\.(validation|requestValidation)$/, '');
  if (keyword) issue.keyword = keyword;
  return issue;
}

function fromBodyParser(error: BodyParserError): HttpProblem {
  switch (error.type) {
    case 'entity.parse.failed':
      return new HttpProblem({
        status: 400,
        detail: 'the request body is not valid JSON',
        errors: [{ in: 'body', pointer: '', message: error.message, keyword: 'json' }],
      });
    case 'entity.too.large':
      return new HttpProblem({
        status: 413,
        detail: `the request body is larger than the limit of ${error.limit ?? '?'} bytes`,
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem({ status: 415, detail: error.message });
    default: {
      const status = error.status ?? error.statusCode ?? 400;
      return new HttpProblem({ status, detail: error.expose ? error.message : undefined });
    }
  }
}
