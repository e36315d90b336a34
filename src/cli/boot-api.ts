import { resolve } from 'node:path';
import { createApi, type Api, type CreateApiOptions, type Logger } from '../api';
import { SpectrometerError } from '../errors';
import { readMetricsToken, requireBearerToken } from './metrics-token';
import type { ServeArgs } from './serve-args';

/**
 * Boots the API `serve` was asked for: handlers (and security handlers, label functions) from
 * the --handlers module; without it every operation answers 501, or its examples with --mock.
 * With --metrics-token-env, `/metrics` answers only requests bearing that variable's token.
 * @example
 * const api = await bootApi({ spec: 'specs/petstore.yaml', mock: true, port: 0, host: '127.0.0.1' });
 */
export async function bootApi(args: ServeArgs, logger?: Logger): Promise<Api> {
  const module = args.handlers ? loadHandlerModule(args.handlers) : {};
  try {
    return await createApi({
      ...module,
      spec: args.spec,
      missingHandler: args.mock ? 'mock' : args.handlers ? 'error' : 'not-implemented',
      allowExternalRefs: args.allowExternalRefs ?? false,
      docs: args.docs ?? true,
      ...(args.handlerTimeoutMs !== undefined ? { handlerTimeoutMs: args.handlerTimeoutMs } : {}),
      ...(args.metricsTokenEnv
        ? {
            metrics: {
              metricsMiddleware: requireBearerToken(readMetricsToken(args.metricsTokenEnv)),
            },
          }
        : {}),
      ...(logger ? { logger } : {}),
    });
  } catch (error) {
    if (error instanceof SpectrometerError) addModuleHint(error, args.handlers);
    throw error;
  }
}

/**
 * createApi's hints say what to pass to createApi; on the command line, security handlers and
 * label functions come from the --handlers module, so say how to export them there.
 */
function addModuleHint(error: SpectrometerError, handlers: string | undefined): void {
  const named = (pattern: RegExp) =>
    error.problems.flatMap((problem) => pattern.exec(problem.message)?.[1] ?? []);
  const security = named(/^security scheme "([^"]+)" has no handler/);
  const labelFunctions = named(/names the label function "([^"]+)", which labelFunctions/);
  if (!security.length && !labelFunctions.length) return;
  const exports = [
    'handlers',
    security.length ? `security: { ${[...new Set(security)].join(', ')} }` : '',
    labelFunctions.length ? `labelFunctions: { ${[...new Set(labelFunctions)].join(', ')} }` : '',
  ].filter(Boolean);
  const module = handlers ? `the --handlers module (${handlers})` : 'a module given as --handlers';
  error.message += `\nserve: export them from ${module}: module.exports = { ${exports.join(', ')} }`;
}

type SecurityHandlers = CreateApiOptions['security'];
type HandlerModule = Pick<CreateApiOptions, 'handlers' | 'security' | 'labelFunctions'>;

/**
 * A module exporting `{ handlers, security?, labelFunctions? }`, or its handlers by operationId
 * at the top level, beside optional `security` and `labelFunctions` objects (a handler is a
 * function, so an object under one of those names cannot be one).
 */
function loadHandlerModule(path: string): HandlerModule {
  const loaded = require(resolve(path)) as Record<string, unknown>;
  const exported = (loaded.default ?? loaded) as Record<string, unknown>;
  const isObject = (value: unknown) => typeof value === 'object' && value !== null;
  if (isObject(exported.handlers)) {
    const { handlers, security, labelFunctions } = exported as HandlerModule;
    return { handlers, security, labelFunctions };
  }
  const module: HandlerModule = {};
  const handlers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(exported)) {
    if (name === 'security' && isObject(value)) module.security = value as SecurityHandlers;
    else if (name === 'labelFunctions' && isObject(value)) {
      module.labelFunctions = value as HandlerModule['labelFunctions'];
    } else handlers[name] = value;
  }
  return { ...module, handlers: handlers as HandlerModule['handlers'] };
}
