// Shared by the x-metrics end-to-end suites: boot a fixture as a real API, scrape, run promtool.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Application } from 'express';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApi, type Api, type CreateApiOptions } from '../../src/api';

/** The spec of `test/fixtures/x-metrics-e2e-<scenario>/openapi.yaml`. */
export function fixture(scenario: string): string {
  return join(__dirname, '..', 'fixtures', `x-metrics-e2e-${scenario}`, 'openapi.yaml');
}

/** Boots a fixture on its own registry, without process metrics. */
export async function bootFixture(
  scenario: string,
  options: Omit<CreateApiOptions, 'spec'> = {},
): Promise<Api & { registry: Registry }> {
  const registry = new Registry();
  const api = await createApi({
    spec: fixture(scenario),
    ...options,
    metrics: { registry, processMetrics: false, ...options.metrics },
  });
  return { ...api, registry };
}

/** The Prometheus text exposition of the app's `/metrics`. */
export async function scrape(app: Application): Promise<string> {
  return (await request(app).get('/metrics').expect(200)).text;
}

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

/**
 * `promtool check metrics` on `text`: its exit status and output. Without promtool the check is
 * skipped loudly, unless `CI` is set, where a missing promtool fails.
 */
export function checkWithPromtool(text: string): { status: number | null; output: string } {
  if (!hasPromtool) {
    if (process.env.CI) throw new Error('promtool is required in CI (apt-get install prometheus)');
    console.warn('promtool not found: skipping `promtool check metrics` (install prometheus)');
    return { status: 0, output: '' };
  }
  const result = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
