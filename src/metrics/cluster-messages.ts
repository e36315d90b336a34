import type { MetricObjectWithValues, MetricValue } from 'prom-client';

/** One metric family as `registry.getMetricsAsJSON()` returns it. */
export type Family = MetricObjectWithValues<MetricValue<string>>;

/**
 * A family on the IPC channel. Node sends messages as JSON, which turns `NaN` and `±Infinity`
 * into `null`, so non-finite values travel as the strings `'NaN'`, `'+Inf'` and `'-Inf'`.
 */
export type WireFamily = Omit<Family, 'values'> & { values: WireValue[] };
type WireValue = Omit<MetricValue<string>, 'value'> & { value: number | string };

const PREFIX = 'spectrometer:cluster:';

/** Worker → primary: I share my metrics from now on (`sharing: true`), or no longer. */
export interface SharingNotice {
  type: `${typeof PREFIX}sharing`;
  id: number;
  sharing: boolean;
}

/** Primary → workers: which of you share metrics? (sent when an aggregator starts late). */
export interface SharingQuery {
  type: `${typeof PREFIX}who-shares`;
  id: number;
}

/** Primary → worker: send me your metrics. */
export interface CollectRequest {
  type: `${typeof PREFIX}collect`;
  id: number;
}

/** Worker → primary: my metrics, one family list per registry (or why not). */
export interface CollectResponse {
  type: `${typeof PREFIX}collected`;
  id: number;
  registries?: WireFamily[][];
  error?: string;
}

/** Worker → primary: render the aggregate of every worker for a scrape I received. */
export interface ScrapeRequest {
  type: `${typeof PREFIX}scrape`;
  id: number;
  accept?: string;
  names?: string[];
  timeoutMs: number;
}

/** Primary → worker: the rendered aggregate (or why not). */
export interface ScrapeResponse {
  type: `${typeof PREFIX}scraped`;
  id: number;
  body?: string;
  contentType?: string;
  error?: string;
}

export const SHARING = `${PREFIX}sharing` as const;
export const WHO_SHARES = `${PREFIX}who-shares` as const;
export const COLLECT = `${PREFIX}collect` as const;
export const COLLECTED = `${PREFIX}collected` as const;
export const SCRAPE = `${PREFIX}scrape` as const;
export const SCRAPED = `${PREFIX}scraped` as const;

type Message =
  SharingNotice | SharingQuery | CollectRequest | CollectResponse | ScrapeRequest | ScrapeResponse;

/** Narrows an IPC message to one of ours of the given type. */
export function isMessage<T extends Message['type']>(
  message: unknown,
  type: T,
): message is Extract<Message, { type: T }> {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === type &&
    typeof (message as { id?: unknown }).id === 'number'
  );
}

/** Makes families safe to send as JSON. */
export function toWire(families: Family[]): WireFamily[] {
  return families.map((family) => ({
    ...family,
    values: family.values.map((v) => ({ ...v, value: encodeNumber(v.value) })),
  }));
}

/** Restores families sent with `toWire`. */
export function fromWire(families: WireFamily[]): Family[] {
  return families.map((family) => ({
    ...family,
    values: family.values.map((v) => ({ ...v, value: decodeNumber(v.value) })),
  }));
}

function encodeNumber(value: number): number | string {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
}

function decodeNumber(value: number | string): number {
  if (typeof value === 'number') return value;
  return value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : NaN;
}
