import express, { type Request, type RequestHandler, type Response } from 'express';
import type { OpenAPIV3 } from 'openapi-types';
import { HttpProblem } from '../response/http-problem';
import { checkBodyDepth } from './body-depth';
import type { PipelineStep } from './pipeline';
import type { RoutedOperation } from '../types';

/** How request bodies are parsed: size limit and the multipart parser of the validator. */
export interface BodyParsingOptions {
  limit: number | string;
  parseMultipart: RequestHandler;
}

/**
 * Builds the body-parsing step of an operation from the media types its `requestBody` declares:
 * JSON (`application/json`, `+json`), URL-encoded forms, multipart, text and anything else as raw
 * bytes. Bodies of other types are left unparsed for validation to answer 415.
 * @returns `undefined` for operations without a request body
 * @example
 * buildBodyStep(operation, { limit: '1mb', parseMultipart })
 */
export function buildBodyStep(
  operation: RoutedOperation,
  options: BodyParsingOptions,
): PipelineStep | undefined {
  const requestBody = operation.operation.requestBody as OpenAPIV3.RequestBodyObject | undefined;
  const types = Object.keys(requestBody?.content ?? {}).map(
    (type) => type.split(';')[0]?.trim().toLowerCase() ?? '',
  );
  if (types.length === 0) return undefined;
  const parsers = selectParsers(types, options);
  const required = requestBody?.required === true;
  const anyType = types.includes('*/*');
  return function parseBody({ req, res }) {
    if (!hasBody(req)) {
      // The validator would call this an unsupported media type "undefined".
      if (required) throw bodyRequired();
      return undefined;
    }
    // Without a type no parser runs: the body would be dropped, or refused as type "undefined".
    if (!anyType && !req.headers['content-type']) throw contentTypeMissing(types);
    return parsers
      .reduce<Promise<void>>(
        (chain, parser) => chain.then(() => runMiddleware(parser, req, res)),
        Promise.resolve(),
      )
      .then(() => checkBodyDepth(req.body));
  };
}

function contentTypeMissing(types: readonly string[]): HttpProblem {
  return new HttpProblem({
    status: 415,
    detail: `the request has a body but no Content-Type header; send it with one of: ${types.join(', ')}`,
  });
}

function bodyRequired(): HttpProblem {
  return new HttpProblem({
    status: 400,
    detail: 'the request does not match the API description: 1 problem(s)',
    errors: [
      { in: 'body', pointer: '', message: 'a request body is required', keyword: 'required' },
    ],
  });
}

function selectParsers(
  types: string[],
  { limit, parseMultipart }: BodyParsingOptions,
): RequestHandler[] {
  const parsers: RequestHandler[] = [];
  const isJson = (type: string): boolean =>
    type === 'application/json' || type.endsWith('+json') || type === '*/*';
  if (types.some(isJson)) {
    // strict: false, because a JSON body may be any JSON value; the schema decides.
    parsers.push(
      express.json({ limit, strict: false, type: ['application/json', 'application/*+json'] }),
    );
  }
  if (types.includes('application/x-www-form-urlencoded')) {
    parsers.push(express.urlencoded({ limit, extended: true }));
  }
  if (types.some((type) => type.startsWith('multipart/'))) parsers.push(parseMultipart);
  if (types.some((type) => type.startsWith('text/')))
    parsers.push(express.text({ limit, type: 'text/*' }));
  const rawTypes = types.filter(
    (type) =>
      !isJson(type) &&
      !type.startsWith('text/') &&
      !type.startsWith('multipart/') &&
      type !== 'application/x-www-form-urlencoded',
  );
  if (rawTypes.length || types.includes('*/*')) {
    parsers.push(
      express.raw({
        limit,
        type: (req) => !isParsed(req as Request) && !isFormOrMultipart(req as Request),
      }),
    );
  }
  return parsers;
}

// A body parser of the app's own ran first (express.json() before createApi): Express leaves
// `req.body` undefined until one does.
function isParsed(req: Request): boolean {
  return req.body !== undefined;
}

function isFormOrMultipart(req: Request): boolean {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  return type.startsWith('multipart/') || type.startsWith('application/x-www-form-urlencoded');
}

/** Whether the request carries a body at all (a length, or chunked). */
export function hasBody(req: Request): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0'
  );
}

function runMiddleware(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    middleware(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
  });
}
