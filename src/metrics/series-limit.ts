import type { Counter, Registry } from 'prom-client';
import { seriesStoreOf } from '../adapters/prom-client';
import type { LabelSpec } from './labels';
import { defineMetric } from './metric-definition';

/** Label value of the one series that takes a full metric's new label sets. */
export const OVERFLOW = '__overflow__';

/** The metric counting recordings that went to an overflow series. */
export const SERIES_OVERFLOW_METRIC = 'spectrometer_series_overflow_total';

/** Label sets a metric keeps before new ones go to its overflow series. */
export const DEFAULT_MAX_SERIES = 2000;

/** Receives the one warning a metric logs when it becomes full. */
export interface MetricsLogger {
  warn(message: string): void;
}

/** Decides which series a label set is recorded in. */
export type AdmitSeries = (values: Record<string, string>) => Record<string, string>;

// What is known of one metric's series, shared by every recorder of that metric.
interface SeriesBook {
  keys: Set<string>;
  store: object | undefined;
  warned: boolean;
}

const books = new WeakMap<object, SeriesBook>();

function bookOf(metric: object): SeriesBook {
  let book = books.get(metric);
  if (!book) {
    book = { keys: new Set(), store: seriesStoreOf(metric), warned: false };
    books.set(metric, book);
  }
  return book;
}

// The metric was reset (prom-client gave it a new series store): its series no longer count.
function forgetIfReset(book: SeriesBook, metric: object): void {
  const store = seriesStoreOf(metric);
  if (book.store === store) return;
  book.keys.clear();
  book.store = store;
}

/** Where a full metric reports. */
export interface SeriesLimitOptions {
  metric: object;
  name: string;
  labels: readonly LabelSpec[];
  maxSeries: number;
  registry: Registry;
  logger: MetricsLogger;
}

/**
 * The series limit of a metric: label sets it already has are recorded as they are; a new one
 * is recorded as is while the metric has fewer than `maxSeries`, else in the overflow series,
 * whose labels computed per request are all `__overflow__` (fixed labels keep their values).
 * Each overflow recording counts in `spectrometer_series_overflow_total{metric}`; the first one
 * logs a warning.
 * @example
 * const admit = limitSeries({ metric, name, labels, maxSeries: 2000, registry, logger: console });
 * counter.inc(admit({ path: req.path }));
 */
export function limitSeries(options: SeriesLimitOptions): AdmitSeries {
  const { metric, name, labels, maxSeries, registry, logger } = options;
  // Keys list values by label name, so recorders that order their labels differently agree.
  const names = labels.map((label) => label.name).sort();
  const dynamic = labels.filter((label) => !('value' in label)).map((label) => label.name);
  let overflowCounter: Counter<string> | undefined;
  const book = bookOf(metric); // shared by every recorder of the metric, looked up once
  return function admitSeries(values) {
    let key = '';
    for (const label of names) {
      const value = values[label] ?? '';
      key += `${value.length}:${value}`;
    }
    forgetIfReset(book, metric);
    if (book.keys.has(key)) return values;
    if (book.keys.size < maxSeries) {
      book.keys.add(key);
      return values;
    }
    overflowCounter ??= defineOverflowCounter(registry);
    overflowCounter.inc({ metric: name });
    if (!book.warned) {
      book.warned = true;
      logger.warn(describeOverflow(name, maxSeries));
    }
    const overflow = { ...values };
    for (const label of dynamic) overflow[label] = OVERFLOW;
    return overflow;
  };
}

function defineOverflowCounter(registry: Registry): Counter<string> {
  return defineMetric(registry, {
    name: SERIES_OVERFLOW_METRIC,
    help: 'Recordings that went to the overflow series of a metric that reached maxSeries label sets',
    type: 'counter',
    labelNames: ['metric'],
  }) as Counter<string>;
}

function describeOverflow(name: string, maxSeries: number): string {
  return (
    `spectrometer: metric ${name} reached its limit of ${maxSeries} label sets (maxSeries); ` +
    `new label sets are recorded in one series whose per-request labels are "${OVERFLOW}", ` +
    `counted in ${SERIES_OVERFLOW_METRIC}{metric="${name}"}. Bound the labels taken from the ` +
    `request (x-metrics: { from, values }) or raise maxSeries.`
  );
}
