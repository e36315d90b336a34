import type { Request, Response } from 'express';
import type { Registry } from 'prom-client';
import { SpectrometerError } from '../errors';
import type { LabelFunction, LabelValue, Labels } from './types';
import { defineMetric } from './metric-definition';
import type { Outcome } from './request-state';

/** One label of a metric: a fixed value or a function evaluated per request. */
export type LabelSpec =
  | { readonly name: string; readonly value: string }
  | {
      readonly name: string;
      readonly resolve: (req: Request, res?: Response, outcome?: Outcome) => unknown;
    };

/** The metric counting label functions that threw. */
export const LABEL_ERRORS_METRIC = 'spectrometer_label_errors_total';

/**
 * Checks and normalises user labels: a plain object whose values are strings, numbers or
 * functions `(req, res) => value`.
 */
export function toLabelSpecs(labels: unknown, metric: string): LabelSpec[] {
  if (labels === undefined || labels === null) return [];
  if (typeof labels !== 'object' || Array.isArray(labels)) {
    throw new SpectrometerError(
      'SPM_INVALID_LABELS',
      `Labels of ${metric} must be a plain object of static values or functions, got ${describe(labels)}`,
    );
  }
  return Object.entries(labels as Labels).map(([name, value]) => toLabelSpec(name, value, metric));
}

function toLabelSpec(name: string, value: unknown, metric: string): LabelSpec {
  if (typeof value === 'function') return { name, resolve: value as LabelFunction };
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
    return { name, value: String(value) };
  }
  throw new SpectrometerError(
    'SPM_INVALID_LABELS',
    `Label ${JSON.stringify(name)} of ${metric} must be a string, a number or a function, got ${describe(value)}`,
  );
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `array ${JSON.stringify(value)}`;
  if (typeof value === 'function') return 'a function';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Merges a metric's own labels with the instance's default labels (default labels win). */
export function mergeLabels(own: LabelSpec[], defaults: LabelSpec[]): LabelSpec[] {
  const names = new Set(defaults.map((label) => label.name));
  return [...own.filter((label) => !names.has(label.name)), ...defaults];
}

/** True when every label is a fixed value, so the series can be created at 0 up front. */
export function allStatic(labels: readonly LabelSpec[]): boolean {
  return labels.every((label) => 'value' in label);
}

/** The fixed values of labels that are all static, in their order. */
export function staticValues(labels: readonly LabelSpec[]): string[] {
  return labels.map((label) => ('value' in label ? label.value : ''));
}

/**
 * Evaluates labels for one request, in their order. A function that throws (or returns something
 * that is not a string or number) yields `''` and counts in `spectrometer_label_errors_total{metric}`.
 */
export function resolveLabelValues(
  labels: readonly LabelSpec[],
  metric: string,
  registry: Registry,
  req: Request,
  res?: Response,
  outcome?: Outcome,
): string[] {
  const values = new Array<string>(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as LabelSpec;
    values[i] =
      'value' in label
        ? label.value
        : callLabel(label.resolve, metric, registry, req, res, outcome);
  }
  return values;
}

function callLabel(
  resolve: (req: Request, res?: Response, outcome?: Outcome) => unknown,
  metric: string,
  registry: Registry,
  req: Request,
  res?: Response,
  outcome?: Outcome,
): string {
  try {
    const value = resolve(req, res, outcome) as LabelValue | undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (value === undefined || value === null) return '';
    throw new TypeError(`label function returned ${typeof value}`);
  } catch {
    countLabelError(registry, metric);
    return '';
  }
}

/** Adds one to `spectrometer_label_errors_total{metric}` on `registry`. */
export function countLabelError(registry: Registry, metric: string): void {
  const counter = defineMetric(registry, {
    name: LABEL_ERRORS_METRIC,
    help: 'Label functions that threw; the sample used an empty value',
    type: 'counter',
    labelNames: ['metric'],
  });
  (counter as import('prom-client').Counter<string>).inc({ metric });
}
