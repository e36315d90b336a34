import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { Registry } from 'prom-client';
import { createApi, type Api } from '../../src/api';

// Swagger UI in a real headless browser: Debian's chromium (.ci/run installs it), driven by
// playwright-core. The screenshot is kept in test/.output/docs-browser/ (git-ignored).
const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = join(__dirname, '..', '.output', 'docs-browser');
const PETSTORE = join(__dirname, '..', '..', 'specs', 'petstore.yaml');

describe('Swagger UI in a headless browser', () => {
  let api: Api;
  let server: Server;
  let browser: BrowserContext;
  let profile: string;
  let origin: string;

  beforeAll(async () => {
    api = await createApi({
      spec: PETSTORE,
      missingHandler: 'mock',
      docs: true,
      metrics: { registry: new Registry(), processMetrics: false },
      logger: { warn: () => undefined },
    });
    server = await api.listen(0);
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    profile = mkdtempSync(join(tmpdir(), 'spectrometer-chromium-'));
    // A fresh profile per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1280, height: 1600 },
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('renders the petstore and lists every operation, loading nothing from elsewhere', async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (req) => void requested.push(req.url()));
    const errors: string[] = [];
    page.on('pageerror', (error) => void errors.push(error.message));
    await page.goto(`${origin}/v1/docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    const listed = await page.$$eval('.opblock', (blocks) =>
      blocks.map((block) => {
        const method = block.querySelector('.opblock-summary-method')?.textContent ?? '';
        const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
        return `${method.trim().toUpperCase()} ${path}`;
      }),
    );
    const declared = api.operations.map((op) => `${op.method.toUpperCase()} ${op.path}`);
    expect([...listed].sort()).toEqual([...declared].sort());
    expect(await page.textContent('.info .title')).toContain(api.document.info.title);
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'petstore-docs.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    await page.close();
  }, 60_000);
});
