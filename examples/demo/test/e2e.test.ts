// The demo in a real browser: headless Chromium (found by the global setup, which lists it as
// missing when it is not installed) driven by playwright-core, against the demo server on a
// free port with a temporary SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type RunningDemo, serveDemo } from '../src/serve.js';

const chromiumPath = inject('chromiumPath');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe.skipIf(!chromiumPath)('the demo in headless Chromium', () => {
  let dir: string;
  let demo: RunningDemo;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'demo-e2e-'));
    demo = await serveDemo({
      port: 0,
      hostname: '127.0.0.1',
      store: `sqlite:${join(dir, 'e2e.db')}`,
    });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function logIn(context: BrowserContext, user: string, device: string): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${demo.url}/`);
    await page.fill('input[name="username"]', user);
    await page.fill('input[name="device"]', device);
    await page.click('#login button');
    await expect.poll(() => page.textContent('#who')).toContain(`Logged in as ${user}`);
    return page;
  }

  /** Click "Add to cart" and wait for the page that shows the new quantity. */
  async function addToCart(page: Page, sku: string, quantity: number): Promise<void> {
    await page.click(`button[data-add="${sku}"]`);
    await expect
      .poll(() => page.locator(`tr[data-sku="${sku}"] .quantity`).textContent())
      .toBe(`× ${quantity}`);
  }

  test('the cart survives a reload', async () => {
    const context = await browser.newContext();
    try {
      const page = await logIn(context, 'cart-user', 'Laptop');
      await addToCart(page, 'tea', 1);
      await addToCart(page, 'tea', 2);
      await addToCart(page, 'kettle', 1);
      await page.reload();
      expect(await page.textContent('tr[data-sku="tea"] .quantity')).toBe('× 2');
      expect(await page.textContent('tr[data-sku="kettle"] .quantity')).toBe('× 1');
      expect(await page.textContent('#total')).toBe('€62.00');
      const cookies = await context.cookies();
      expect(cookies).toEqual([
        expect.objectContaining({
          name: '__Host-sid',
          httpOnly: true,
          secure: true,
          sameSite: 'Lax',
        }),
      ]);
    } finally {
      await context.close();
    }
  });

  test('one device revokes another, which is logged out on its next request', async () => {
    const laptopContext = await browser.newContext();
    const phoneContext = await browser.newContext();
    try {
      const laptop = await logIn(laptopContext, 'ada', 'Laptop');
      await addToCart(laptop, 'mug', 1);
      const phone = await logIn(phoneContext, 'ada', 'Phone');

      await laptop.goto(`${demo.url}/sessions`);
      expect(await laptop.locator('tr.session').count()).toBe(2);
      expect(await laptop.textContent('tr.session.current')).toContain('Laptop');
      await laptop.locator('tr.session', { hasText: 'Phone' }).locator('button').click();
      await expect.poll(() => laptop.locator('tr.session').count()).toBe(1);

      await phone.reload();
      expect(await phone.textContent('#who')).toBe('Not logged in');
      expect(await phone.isVisible('#login')).toBe(true);
      // The dead cookie stays (only the request that ended a session clears it) and opens nothing.
      await phone.reload();
      expect(await phone.textContent('#who')).toBe('Not logged in');

      await laptop.goto(`${demo.url}/`);
      expect(await laptop.textContent('#who')).toContain('Logged in as ada');
      expect(await laptop.textContent('tr[data-sku="mug"] .quantity')).toBe('× 1');

      // Logged in again, the phone's sessions page says why its previous session ended.
      const again = await logIn(phoneContext, 'ada', 'Phone');
      await again.goto(`${demo.url}/sessions`);
      expect(await again.getAttribute('#last-miss', 'data-reason')).toBe('revoked');
      expect(await again.textContent('#last-miss')).toContain('it was revoked');
    } finally {
      await laptopContext.close();
      await phoneContext.close();
    }
  });
});
