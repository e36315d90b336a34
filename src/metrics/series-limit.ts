import type { Counter, Registry } from 'prom-client';
import { seriesStoreOf, type SeriesHandle } from '../adapters/prom-client';
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

/**
 * One label set of a metric, the same object for every recording of it: its label values, and
 * the direct way to its series once prom-client has created it (see `SeriesHandle`; `null`:
 * there is none, recordings go through prom-client's API).
 */
export interface SeriesSlot {
  readonly values: Readonly<Record<string, string>>;
  handle: SeriesHandle | null | undefined;
}

/**
 * Decides which series a label set is recorded in. `resolved` are the label values in the
 * order of the recorder's labels.
 */
export type AdmitSeries = (resolved: readonly string[]) => SeriesSlot;

// A metric's label sets as a tree of label values (labels sorted by name, so recorders that
// order their labels differently agree): finding a known label set allocates nothing.
type SeriesTree = Map<string, SeriesTree | SeriesSlot>;

// What is known of one metric's series, shared by every recorder of that metric.
interface SeriesBook {
  tree: SeriesTree;
  size: number;
  store: object | undefined;
  warned: boolean;
}

const books = new WeakMap<object, SeriesBook>();

function bookOf(metric: object): SeriesBook {
  let book = books.get(metric);
  if (!book) {
    book = { tree: new Map(), size: 0, store: seriesStoreOf(metric), warned: false };
    books.set(metric, book);
  }
  return book;
}

// The metric was reset (prom-client gave it a new series store): its series no longer count.
function forgetIfReset(book: SeriesBook, metric: object): void {
  const store = seriesStoreOf(metric);
  if (book.store === store) return;
  book.tree = new Map();
  book.size = 0;
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
 * counter.inc(admit([req.path]).values);
 */
export function limitSeries(options: SeriesLimitOptions): AdmitSeries {
  const { metric, name, labels, maxSeries, registry, logger } = options;
  const names = labels.map((label) => label.name);
  // Positions of the labels in name order: the path of a label set in the tree.
  const path = names.map((_, i) => i).sort((a, b) => compare(names[a], names[b]));
  const isDynamic = labels.map((label) => !('value' in label));
  let overflowCounter: Counter<string> | undefined;
  const book = bookOf(metric); // shared by every recorder of the metric, looked up once
  return function admitSeries(resolved) {
    forgetIfReset(book, metric);
    const known = findSlot(book.tree, path, resolved);
    if (known) return known;
    if (book.size < maxSeries) return addSlot(book, path, resolved, toValues(names, resolved));
    overflowCounter ??= defineOverflowCounter(registry);
    overflowCounter.inc({ metric: name });
    if (!book.warned) {
      book.warned = true;
      logger.warn(describeOverflow(name, maxSeries));
    }
    const overflow = resolved.map((value, i) => (isDynamic[i] ? OVERFLOW : value));
    return (
      findSlot(book.tree, path, overflow) ??
      addSlot(book, path, overflow, toValues(names, overflow))
    );
  };
}

const compare = (a: string | undefined, b: string | undefined): number =>
  (a ?? '') < (b ?? '') ? -1 : 1;

// A label set without labels sits under '' (the tree always has one level).
const keyAt = (path: readonly number[], resolved: readonly string[], depth: number): string =>
  path.length === 0 ? '' : (resolved[path[depth] as number] ?? '');

function findSlot(
  tree: SeriesTree,
  path: readonly number[],
  resolved: readonly string[],
): SeriesSlot | undefined {
  let node: SeriesTree | SeriesSlot | undefined = tree;
  const depth = Math.max(path.length, 1);
  for (let i = 0; i < depth; i++) {
    node = (node as SeriesTree).get(keyAt(path, resolved, i));
    if (node === undefined) return undefined;
  }
  return node as SeriesSlot;
}

function addSlot(
  book: SeriesBook,
  path: readonly number[],
  resolved: readonly string[],
  values: Record<string, string>,
): SeriesSlot {
  let node = book.tree;
  const last = Math.max(path.length, 1) - 1;
  for (let i = 0; i < last; i++) {
    const key = keyAt(path, resolved, i);
    let next = node.get(key) as SeriesTree | undefined;
    if (!next) node.set(key, (next = new Map()));
    node = next;
  }
  const slot: SeriesSlot = { values, handle: undefined };
  node.set(keyAt(path, resolved, last), slot);
  book.size++;
  return slot;
}

function toValues(names: readonly string[], resolved: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  names.forEach((name, i) => (values[name] = resolved[i] ?? ''));
  return values;
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
