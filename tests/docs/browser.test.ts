// The rendered reference, checked the way a person meets it: Debian's Chromium, driven by
// playwright-core, loads dist/docs/index.html from a loopback server.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium } from '../../tools/kit/chromium.js';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';
import { GRADES } from '../../tools/kit/post-process.js';
import { serveStatic } from '../../tools/kit/static-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docsDir = `${root}dist/docs`;
const spec = await loadBundledSpec();
const operations = [...spec.operations.values()];

let browser: Browser;
let page: Page;
let server: Awaited<ReturnType<typeof serveStatic>>;
const consoleErrors: string[] = [];
const offLoopback: string[] = [];
// Hang guards, not speed limits: a loaded machine renders the reference many times slower.
const UI_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 120_000;

beforeAll(async () => {
  if (!existsSync(`${docsDir}/index.html`))
    throw new Error('dist/docs/index.html is missing: run `npm run docs` (npm test does).');
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found: run `npx tsx scripts/ensure-chromium.ts` (npm test does).');
  server = await serveStatic(docsDir);
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (['data:', 'blob:'].includes(url.protocol)) return;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) offLoopback.push(request.url());
  });
  await page.goto(`${server.url}/`, { waitUntil: 'load' });
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  await page.locator('[data-component-name="Menu/Menu"]').first().waitFor();
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Expands each tag of the sidebar in turn (Redoc keeps one open) and returns all the text it showed. */
async function sidebarText(): Promise<string> {
  const menu = page.locator('[data-component-name="Menu/Menu"]').first();
  let text = await menu.innerText();
  for (const tag of spec.document.tags as { name: string }[]) {
    const first = operations.find(({ operation }) => operation.tags?.includes(tag.name));
    await menu
      .locator('[data-component-name="Menu/MenuItem"].menu-item-type-group', { hasText: new RegExp(`^${tag.name}$`) })
      .first()
      .click();
    if (first)
      await menu
        .getByText(first.operation.summary, { exact: true })
        .first()
        .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    text += `\n${await menu.innerText()}`;
  }
  return text;
}

describe('the rendered reference', { timeout: TEST_TIMEOUT_MS }, () => {
  it('has the introduction sections and renders the title', async () => {
    const text = await page.locator('body').innerText();
    for (const heading of [
      'Authentication',
      'Base paths',
      'Media types',
      'Rate limits',
      'How much of this is observed',
    ]) {
      expect(text).toContain(heading);
    }
    expect(await page.title()).toContain('Cloud SOAR');
  });

  it('lists every tag group, tag and operation in the navigation, each operation with its evidence grade', async () => {
    const text = await sidebarText();
    const missing = [
      ...spec.document['x-tagGroups'].map((group: { name: string }) => group.name),
      ...spec.document.tags.map((tag: { name: string }) => tag.name),
      ...operations.map(({ operation }) => operation.summary as string),
    ].filter((label) => !text.includes(label));
    expect(missing).toEqual([]);
    // Each operation's entry reads "<summary>", then its badge "<grade> · <label>".
    const ungraded = operations
      .filter(({ operation }) => {
        const badge = operation['x-badges'][0].name as string;
        const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        return !new RegExp(`${escapeRegExp(operation.summary)}\\s*${escapeRegExp(badge)}`, 'i').test(text);
      })
      .map(({ operationId }) => operationId);
    expect(ungraded).toEqual([]);
  });

  it('finds an operation by its summary with the search box', async () => {
    await page.locator('[data-testid="search-trigger"]').click();
    await page.locator('input[placeholder^="Search"]').fill('Move an incident to a folder');
    const hit = page.locator('[data-component-name="Search/SearchItem"]', { hasText: 'Move an incident to a folder' });
    await hit.first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await hit.count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
  });

  it('offers curl, Python and TypeScript samples on an operation, and shows the TypeScript one', async () => {
    const menu = page.locator('[data-component-name="Menu/Menu"]').first();
    await menu.getByText('Attachments', { exact: true }).click();
    await menu.getByText('Upload an attachment to an incident', { exact: true }).click();
    await page
      .locator('button[aria-haspopup="menu"]', { hasText: /^curl$/ })
      .first()
      .click();
    const items = page.locator('[data-component-name="Dropdown/DropdownMenuItem"]');
    await expect
      .poll(() => items.allInnerTexts(), { timeout: UI_TIMEOUT_MS })
      .toEqual(expect.arrayContaining(['curl', 'Python (requests)', 'TypeScript (cloudsoar-v3)']));
    await items.filter({ hasText: 'TypeScript (cloudsoar-v3)' }).first().click();
    await expect
      .poll(() => page.locator('body').innerText(), { timeout: UI_TIMEOUT_MS })
      .toContain('uploadAttachment(soar');
  });

  it('shows the XML example of an answer (the bundle keeps it in x-examples, beside the XML media type)', async () => {
    const menu = page.locator('[data-component-name="Menu/Menu"]').first();
    await menu.getByText('Folders', { exact: true }).click();
    await menu.getByText('List folders', { exact: true }).click();
    // The last media-type switch on the page is the response sample's.
    await page
      .locator('button[aria-haspopup="menu"]', { hasText: /^application\/json$/ })
      .last()
      .click();
    await page
      .locator('[data-component-name="Dropdown/DropdownMenuItem"]', { hasText: /^application\/xml$/ })
      .first()
      .click();
    await expect
      .poll(() => page.locator('body').innerText(), { timeout: UI_TIMEOUT_MS })
      .toMatch(/<folders>\s*<folder>\s*<id>1<\/id>\s*<name>Incidents<\/name>/);
  });

  // One walk through what issue 18 fixed, on a page of its own so no earlier test's state (an open
  // tag, a scrolled section) matters; its own timeout, for a page load, three navigations and a search.
  it('shows server text without raw markup, a badge legend, P badges not in red, code samples with nothing hidden, snippets with their spaces', async () => {
    const fresh = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await fresh.goto(`${server.url}/`, { waitUntil: 'load' });
      const servers = fresh.locator('[data-testid="server-panel-item-name"]');
      await servers.first().waitFor();
      expect((await servers.allInnerTexts()).filter((text) => /[`*_]{1,2}\w/.test(text.replace('*.soar', '')))).toEqual(
        [],
      );
      // The introduction's legend names every badge the sidebar shows.
      const intro = (await fresh.locator('body').innerText()).toLowerCase();
      expect(
        Object.entries(GRADES)
          .map(([grade, { short }]) => `${grade} · ${short}`)
          .filter((badge) => !intro.includes(badge.toLowerCase())),
      ).toEqual([]);
      const menu = fresh.locator('[data-component-name="Menu/Menu"]').first();
      await menu.getByText('Incidents', { exact: true }).click();
      await menu.getByText('Create an incident', { exact: true }).click();
      const inferred = menu.locator('[data-component-name="Tag/Tag"]', { hasText: /^P · inferred$/i }).first();
      const [red, green, blue] = (await inferred.evaluate((tag) => getComputedStyle(tag).backgroundColor))
        .match(/\d+/g)!
        .map(Number);
      expect(red! - Math.max(green!, blue!), 'the P badge reads as an error (red)').toBeLessThan(60);
      // The longest lines of the docs: a curl URL, the Python sample's credentials.
      const sample = fresh
        .locator('[data-component-name="CodeBlock/CodeBlock"]')
        .filter({ hasText: 'curl -X POST' })
        .first();
      const layout = await sample.evaluate((block) => {
        const pre = block.querySelector('pre')!;
        const button = block.querySelector('[data-testid="copy-button"]')!.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(pre);
        const lines = [...range.getClientRects()].filter((r) => r.width > 0);
        const underButton = lines.filter(
          (r) => r.right > button.left && r.left < button.right && r.bottom > button.top && r.top < button.bottom,
        );
        return {
          overflow: pre.scrollWidth - pre.clientWidth,
          textRight: Math.max(...lines.map((r) => r.right)),
          preRight: pre.getBoundingClientRect().right,
          underButton: underButton.length,
        };
      });
      expect(layout.overflow, 'a line runs out of the panel').toBeLessThanOrEqual(0);
      expect(layout.textRight).toBeLessThanOrEqual(layout.preRight);
      expect(layout.underButton, 'text under the copy button').toBe(0);
      // Search snippets keep the spaces between words (the build unwraps soft line breaks for the index).
      await fresh.locator('[data-testid="search-trigger"]').click();
      await fresh.locator('input[placeholder^="Search"]').fill('closing note');
      const snippet = fresh
        .locator('[data-component-name="Search/SearchItem"]', { hasText: 'Close an incident' })
        .first();
      expect(await snippet.innerText()).toContain('closing_note appears');
    } finally {
      await fresh.close();
    }
  }, 30_000);

  it('loads with no console errors and no request leaving loopback; saves a screenshot', async () => {
    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.locator('[data-testid="search-trigger"]', { hasText: 'Search' }).waitFor({ timeout: UI_TIMEOUT_MS });
    const menu = page.locator('[data-component-name="Menu/Menu"]').first();
    await menu.getByText('Incidents', { exact: true }).click();
    await menu.getByText('Create an incident', { exact: true }).click();
    await page.getByText('Two body shapes are in use', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT_MS });
    mkdirSync(`${root}dist`, { recursive: true });
    await page.screenshot({ path: `${root}dist/docs-screenshot.png` });
    expect(consoleErrors).toEqual([]);
    expect(offLoopback).toEqual([]);
  });
});
