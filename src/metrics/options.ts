import type { RequestHandler } from 'express';
import { register as globalRegistry, type Registry } from 'prom-client';
import { SpectrometerError } from '../errors';
import { toLabelSpecs, type LabelSpec } from './labels';
import { DEFAULT_MAX_SERIES, type MetricsLogger } from './series-limit';
import { NO_PREFIX, type GroupBy, type PrometheusMetricsOptions } from './types';

/** PrometheusMetrics options with every default filled in and every value checked. */
export interface NormalizedMetricsOptions {
  path: string | null;
  exportDefaults: boolean;
  /** The prefix including its trailing `_`, or `''`. */
  prefix: string;
  groupBy: GroupBy;
  buckets?: number[];
  latency: 'histogram' | 'summary';
  defaultLabels: LabelSpec[];
  /** Undefined when no path is excluded (the common case costs nothing per request). */
  isExcludedPath?: (path: string) => boolean;
  excludeUserDefaults: boolean;
  metricsMiddleware: RequestHandler[];
  registry: Registry;
  processMetrics: boolean;
  responseConverter?: PrometheusMetricsOptions['responseConverter'];
  maxSeries: number;
  logger: MetricsLogger;
  exemplars: boolean;
}

const KNOWN = new Set<keyof PrometheusMetricsOptions>([
  'path',
  'exportDefaults',
  'defaultsPrefix',
  'groupBy',
  'buckets',
  'defaultLatencyAsHistogram',
  'defaultLabels',
  'excludedPaths',
  'excludeUserDefaults',
  'metricsMiddleware',
  'registry',
  'processMetrics',
  'responseConverter',
  'maxSeries',
  'logger',
  'exemplars',
]);

/** Checks user options once and fills in the defaults (the only place defaults live). */
export function normalizeMetricsOptions(
  options: PrometheusMetricsOptions = {},
): NormalizedMetricsOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalid('options', 'an object', options);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key as keyof PrometheusMetricsOptions)) {
      throw new SpectrometerError(
        'SPM_INVALID_OPTION',
        `Unknown PrometheusMetrics option "${key}"`,
      );
    }
  }
  return {
    path: normalizePath(options.path),
    exportDefaults: flag('exportDefaults', options.exportDefaults, true),
    prefix: normalizePrefix(options.defaultsPrefix),
    groupBy: normalizeGroupBy(options.groupBy),
    buckets: options.buckets,
    latency: flag('defaultLatencyAsHistogram', options.defaultLatencyAsHistogram, true)
      ? 'histogram'
      : 'summary',
    defaultLabels: toLabelSpecs(options.defaultLabels, 'defaultLabels'),
    isExcludedPath: compileExcludedPaths(options.excludedPaths),
    excludeUserDefaults: flag('excludeUserDefaults', options.excludeUserDefaults, true),
    metricsMiddleware: normalizeMiddleware(options.metricsMiddleware),
    registry: options.registry ?? globalRegistry,
    processMetrics: flag('processMetrics', options.processMetrics, true),
    responseConverter: options.responseConverter,
    maxSeries: checkMaxSeries(options.maxSeries, 'maxSeries') ?? DEFAULT_MAX_SERIES,
    logger: normalizeLogger(options.logger),
    exemplars: flag('exemplars', options.exemplars, true),
  };
}

/**
 * A series limit as given: a positive integer, or undefined when not set.
 * @example checkMaxSeries(500, 'maxSeries of pets_total') // 500
 */
export function checkMaxSeries(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw invalid(name, 'a positive integer (label sets per metric)', value);
  return value;
}

function normalizeLogger(logger: unknown): MetricsLogger {
  if (logger === undefined) return console;
  if (typeof (logger as MetricsLogger | null)?.warn !== 'function')
    throw invalid('logger', 'an object with a warn(message) method', logger);
  return logger as MetricsLogger;
}

function invalid(name: string, expected: string, got: unknown): SpectrometerError {
  const shown = typeof got === 'function' ? 'a function' : JSON.stringify(got);
  return new SpectrometerError(
    'SPM_INVALID_OPTION',
    `Option "${name}" must be ${expected}, got ${shown}`,
  );
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(name, 'a boolean', value);
  return value;
}

function normalizePath(path: unknown): string | null {
  if (path === undefined) return '/metrics';
  if (path === null || path === '') return null;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw invalid('path', "null or a path starting with '/'", path);
  }
  return path;
}

function normalizePrefix(prefix: unknown): string {
  if (prefix === undefined) return 'express_';
  if (prefix === NO_PREFIX || prefix === '') return '';
  if (typeof prefix !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix)) {
    throw invalid('defaultsPrefix', 'a metric name prefix or NO_PREFIX', prefix);
  }
  return prefix.endsWith('_') ? prefix : `${prefix}_`;
}

const GROUP_BY = new Set(['route', 'path', 'endpoint', 'operation']);

function normalizeGroupBy(groupBy: unknown): GroupBy {
  if (groupBy === undefined) return 'route';
  if (typeof groupBy === 'string' && GROUP_BY.has(groupBy)) return groupBy as GroupBy;
  if (typeof groupBy === 'function') {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(groupBy.name) || groupBy.name.startsWith('__')) {
      throw invalid(
        'groupBy',
        'a named function whose name is a valid label name',
        `function named "${groupBy.name}"`,
      );
    }
    return groupBy as GroupBy;
  }
  throw invalid('groupBy', "'route', 'path', 'endpoint', 'operation' or a named function", groupBy);
}

function compileExcludedPaths(excluded: unknown): ((path: string) => boolean) | undefined {
  if (excluded === undefined || excluded === null) return undefined;
  const list = Array.isArray(excluded) ? excluded : [excluded];
  const patterns = list.map((pattern) => {
    if (pattern instanceof RegExp)
      return new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, '')}y`);
    if (typeof pattern === 'string') {
      try {
        return new RegExp(pattern, 'y');
      } catch {
        throw invalid('excludedPaths', 'valid regular expressions', pattern);
      }
    }
    throw invalid('excludedPaths', 'a string, a RegExp or a list of them', pattern);
  });
  // Sticky regexes match from the start of the path only, like Python's re.match.
  return (path) =>
    patterns.some((pattern) => {
      pattern.lastIndex = 0;
      return pattern.test(path);
    });
}

function normalizeMiddleware(middleware: unknown): RequestHandler[] {
  if (middleware === undefined || middleware === null) return [];
  const list = Array.isArray(middleware) ? middleware : [middleware];
  for (const item of list) {
    if (typeof item !== 'function')
      throw invalid('metricsMiddleware', 'middleware functions', item);
  }
  return list as RequestHandler[];
}
