import type { Request, Response } from 'express';
import { ensureRequestState } from './request-state';

/** Middleware: no default metrics for the routes it is used on. */
export function doNotTrack(req: Request, _res: Response, next: (err?: unknown) => void): void {
  ensureRequestState(req).doNotTrack = true;
  next();
}

/** Middleware: no metrics at all for the routes it is used on (read when the response ends). */
export function excludeAllMetrics(
  req: Request,
  _res: Response,
  next: (err?: unknown) => void,
): void {
  ensureRequestState(req).excludeAll = true;
  next();
}
