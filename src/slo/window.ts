/** The shortest and longest SLO window, in seconds (7d, 90d). */
export const MIN_WINDOW_SECONDS = 7 * 86_400;
export const MAX_WINDOW_SECONDS = 90 * 86_400;

/** The window of an x-slo that sets none. */
export const DEFAULT_WINDOW = '28d';

const UNIT_SECONDS: Record<string, number> = { h: 3_600, d: 86_400, w: 604_800 };

/**
 * Seconds of a window written as a whole number of hours, days or weeks, or undefined.
 * @example
 * parseWindow('28d') // 2419200
 */
export function parseWindow(window: string): number | undefined {
  const match = /^([1-9][0-9]*)([hdw])$/.exec(window);
  if (!match) return undefined;
  return Number(match[1]) * (UNIT_SECONDS[match[2] as string] as number);
}
