import type { Request, RequestHandler, Response } from 'express';
import { ensureRequestState } from './request-state';
import type { GenerateMetricsOptions, RenderedMetrics } from './exposition';

/** Renders the metrics for one scrape. */
export type GenerateMetrics = (options: GenerateMetricsOptions) => Promise<RenderedMetrics>;

/** The metric names a scrape asks for with `?name[]=a&name[]=b` (or `?name=a`). */
export function requestedNames(req: Request): string[] {
  const url = req.originalUrl ?? req.url ?? '';
  const query = url.indexOf('?');
  if (query === -1) return [];
  const params = new URLSearchParams(url.slice(query + 1));
  return [...params.getAll('name[]'), ...params.getAll('name')];
}

/**
 * The Express handler that answers a scrape: Prometheus text, or OpenMetrics when the `Accept`
 * header asks for it. The scrape itself is never measured.
 */
export function metricsHandler(generate: GenerateMetrics): RequestHandler {
  return async function serveMetrics(req: Request, res: Response) {
    ensureRequestState(req).excludeAll = true;
    try {
      const { body, contentType } = await generate({
        accept: req.headers.accept,
        names: requestedNames(req),
      });
      res.status(200).setHeader('Content-Type', contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.end(body);
    } catch (error) {
      res.status(500).setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(
        `# failed to collect metrics: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
  };
}
