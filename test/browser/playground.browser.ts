import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadDemoData } from '../../src/app/demo-data.js';
import { startTestGateway, type TestGateway } from '../support/harness.js';

/**
 * The playground end to end in Debian's Chromium (`apt-get install chromium`): the page loads its
 * bundles from this server only, runs the example query with the prefilled demo token, and shows
 * tenants with their applications. `npm run test:browser`; screenshot in test/artifacts/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '..', 'artifacts');

describe('GraphQL playground in a browser', () => {
  let tg: TestGateway;
  let server: Server;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    tg = await startTestGateway({ EXPOSE_QUERY_STATS: '0' });
    await loadDemoData(tg.db.orm);
    // What main does on the embedded demo database.
    tg.config.playgroundToken = await tg.superToken();
    server = createServer(tg.gateway.listener).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await tg?.close();
  });

  it('runs the example query listing tenants with their applications', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const offsite: string[] = [];
    const pageErrors: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:')) offsite.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${base}/graphql`);
    await page.locator('.graphiql-container').waitFor({ timeout: 30000 });
    // The example query and the demo token are prefilled.
    await page.locator('.graphiql-query-editor').getByText('TenantsWithApplications').first().waitFor();
    const headers = await page.locator('.graphiql-editor-tool').innerText();
    expect(headers).toContain('Bearer ');

    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    try {
      // What is on screen: the first tenant (by name) and its applications.
      await expect_text(result, ['"Acme Bank"', '"Acme Partners"', '"Acme Analytics"', '"Employee Portal"']);
    } finally {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'playground.png') });
    }
    // The editor renders only the lines in view; the whole result is in its document.
    const full = await result.locator('.CodeMirror').evaluate((element) => (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());
    const data = JSON.parse(full).data;
    const byTenant = Object.fromEntries(
      data.tenants.items.map((t: { name: string; availableApplications: { items: { name: string }[] } }) => [t.name, t.availableApplications.items.map((a) => a.name)]),
    );
    expect(byTenant).toEqual({
      'Acme Bank': ['Acme Analytics', 'Employee Portal'],
      'Acme Retail': ['Acme Analytics', 'Employee Portal', 'Retail Automation', 'Retail POS'],
      'Globex Health': ['Employee Portal', 'Globex Care'],
    });
    expect(full).not.toContain('"errors"');
    expect(offsite).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

/** Waits until the element's text holds every expected string (CodeMirror fills the result in asynchronously). */
async function expect_text(locator: import('playwright-core').Locator, expected: string[]): Promise<void> {
  const deadline = Date.now() + 30000;
  let text = '';
  while (Date.now() < deadline) {
    text = await locator.innerText();
    if (expected.every((s) => text.includes(s))) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`result never showed ${expected.join(', ')}; it shows:\n${text}`);
}
