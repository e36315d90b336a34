import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpProblem, sendProblem } from '../api/response/http-problem';
import { SpectrometerError } from '../errors';

// RFC 6750's b64token: what fits after "Bearer " in an Authorization header.
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The token `serve --metrics-token-env NAME` protects `/metrics` with: the value of `NAME`, read
 * at start. Unset, empty or not sendable as a bearer token is a usage error (exit 2).
 * @example
 * readMetricsToken('METRICS_TOKEN') // process.env.METRICS_TOKEN
 */
export function readMetricsToken(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const token = env[name];
  if (!token) {
    throw new SpectrometerError(
      'SPM_CLI_USAGE',
      `serve: --metrics-token-env ${name}: the environment variable ${name} is ${token === undefined ? 'not set' : 'empty'}; set it to the token scrapers must send (Authorization: Bearer <token>)`,
    );
  }
  if (!BEARER_TOKEN.test(token)) {
    throw new SpectrometerError(
      'SPM_CLI_USAGE',
      `serve: --metrics-token-env ${name}: the value of ${name} cannot be sent as a bearer token (letters, digits and -._~+/ with optional trailing =)`,
    );
  }
  return token;
}

/**
 * A `metricsMiddleware` letting through only requests with `Authorization: Bearer <token>`;
 * the others get a 401 problem with `WWW-Authenticate: Bearer`. Tokens are compared in
 * constant time (as SHA-256 digests, so their lengths do not show either).
 * @example
 * createApi({ spec, metrics: { metricsMiddleware: requireBearerToken(token) } })
 */
export function requireBearerToken(token: string): RequestHandler {
  const expected = digest(token);
  return function checkMetricsToken(req, res, next) {
    const given = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    const challenge = given === undefined ? '' : ', error="invalid_token"';
    sendProblem(
      res,
      new HttpProblem({
        status: 401,
        detail:
          given === undefined
            ? 'the metrics need an Authorization: Bearer <token> header'
            : 'the bearer token is not the metrics token',
        headers: { 'WWW-Authenticate': `Bearer realm="metrics"${challenge}` },
      }),
    );
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
