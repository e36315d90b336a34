import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi, type Api } from '../../src/api';

// Property: a mock answer passes the spec's own response validation, for every declared status
// (asked for with Prefer: code=…) of every operation of every spec in specs/ and test/fixtures
// that boots. Response validation is on and enforcing, so a mock that breaks its spec would be a
// 500 problem instead of the status asked for.

const ROOT = join(__dirname, '..', '..');
const SPECS = [
  ...readdirSync(join(ROOT, 'specs')).map((name) => join(ROOT, 'specs', name)),
  ...readdirSync(join(ROOT, 'test', 'fixtures'))
    .flatMap((folder) =>
      ['openapi.yaml', 'openapi.json', 'swagger.yaml'].map((file) =>
        join(ROOT, 'test', 'fixtures', folder, file),
      ),
    )
    .filter(existsSync),
].filter((file) => /\.(ya?ml|json)$/.test(file));

type Method = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

async function boot(spec: string): Promise<Api | undefined> {
  try {
    return await createApi({
      spec,
      missingHandler: 'mock',
      // Only what is sent is under test: requests go through unchecked.
      validation: { requests: false, responses: true },
      metrics: { registry: new Registry(), processMetrics: false },
      logger: { warn: () => undefined },
    });
  } catch {
    return undefined; // fixtures of boot problems
  }
}

/** Credentials of the kind the operation's first security requirement asks for. */
function credentials(api: Api, security: OpenAPIV3.SecurityRequirementObject[]) {
  const schemes = (api.document.components?.securitySchemes ?? {}) as Record<
    string,
    OpenAPIV3.SecuritySchemeObject
  >;
  const headers: Record<string, string> = {};
  const query: Record<string, string> = {};
  const cookies: string[] = [];
  for (const name of Object.keys(security[0] ?? {})) {
    const scheme = schemes[name];
    if (scheme?.type === 'apiKey' && scheme.in === 'header') headers[scheme.name] = 'key';
    else if (scheme?.type === 'apiKey' && scheme.in === 'query') query[scheme.name] = 'key';
    else if (scheme?.type === 'apiKey') cookies.push(`${scheme.name}=key`);
    else if (scheme?.type === 'http') headers.Authorization = `${scheme.scheme} token`;
    else headers.Authorization = 'Bearer token';
  }
  if (cookies.length) headers.Cookie = cookies.join('; ');
  return { headers, query };
}

/** The statuses to ask for: every declared code; for a range its first; for default one unused. */
function statusesOf(operation: OpenAPIV3.OperationObject): number[] {
  const keys = Object.keys(operation.responses ?? {});
  const codes = keys.filter((key) => /^\d{3}$/.test(key)).map(Number);
  const ranges = keys.filter((key) => /^\dXX$/i.test(key)).map((key) => Number(key[0]) * 100);
  const fallback = keys.includes('default')
    ? [[400, 422, 418].find((code) => !codes.includes(code)) as number]
    : [];
  return [...codes, ...ranges, ...fallback];
}

/** Every named example of every declared status, to ask for with Prefer: example=…. */
function namedExamplesOf(operation: OpenAPIV3.OperationObject) {
  return Object.entries(operation.responses ?? {})
    .filter(([key]) => /^\d{3}$/.test(key))
    .flatMap(([key, response]) =>
      Object.values((response as OpenAPIV3.ResponseObject).content ?? {}).flatMap((media) =>
        Object.keys(media.examples ?? {}).map((example) => ({ status: Number(key), example })),
      ),
    );
}

/** A body of the operation's first media type: requests go unchecked, so any will do. */
function bodyOf(operation: OpenAPIV3.OperationObject): { type: string; text: string } | undefined {
  const content = (operation.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content;
  const type = Object.keys(content ?? {})[0];
  if (!type) return undefined;
  return { type, text: /json/.test(type) ? '{}' : 'x' };
}

describe('mock answers pass their own spec', () => {
  it('answers every declared status of every operation of every spec that boots', async () => {
    const checked: string[] = [];
    const failures: string[] = [];
    let booted = 0;
    for (const spec of SPECS) {
      const api = await boot(spec);
      if (!api) continue;
      booted += 1;
      for (const op of api.operations) {
        // Paths holding '#' or '?' cannot be asked for (the boot warns about them).
        if (/[#?]/.test(op.path)) continue;
        const path = op.routeTemplate.replace(/\{[^}]+\}/g, '1');
        const body = bodyOf(op.operation);
        const { headers, query } = credentials(api, op.security);
        const asks = [
          ...[undefined, ...statusesOf(op.operation)].map((status) => ({ status })),
          ...namedExamplesOf(op.operation),
        ];
        for (const { status, example } of asks as Array<{ status?: number; example?: string }>) {
          const call = request(api.app)[op.method as Method](path).query(query).set(headers);
          const prefer = [
            status !== undefined ? `code=${status}` : '',
            example !== undefined ? `example="${example}"` : '',
          ];
          if (status !== undefined) call.set('Prefer', prefer.filter(Boolean).join(', '));
          if (body) call.set('Content-Type', body.type).send(body.text);
          const res = await call;
          const where = `${relative(ROOT, spec)} ${op.method.toUpperCase()} ${op.path} Prefer ${prefer.join(' ')}`;
          checked.push(where);
          const ok = status === undefined ? res.status < 500 : res.status === status;
          if (!ok) failures.push(`${where}: ${res.status} ${res.text.slice(0, 300)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(booted).toBeGreaterThan(20);
    expect(checked.length).toBeGreaterThan(100);
    expect(checked.filter((where) => where.includes('example='))).not.toEqual([]);
  }, 300_000);
});
