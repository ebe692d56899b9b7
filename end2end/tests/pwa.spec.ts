import { test, expect } from '@playwright/test';
import { watchConsole, hydrated, serviceWorkerActive, shot } from './helpers';

test('manifest and icons are served', async ({ request }) => {
  const res = await request.get('/manifest.webmanifest');
  expect(res.status()).toBe(200);
  const m = await res.json();
  expect(m.display).toBe('standalone');
  expect(m.start_url).toBe('/');
  for (const icon of m.icons) {
    const r = await request.get(icon.src);
    expect(r.status(), icon.src).toBe(200);
  }
});

test('security headers on pages and API', async ({ request }) => {
  for (const path of ['/', '/api/v1/me', '/healthz']) {
    const res = await request.get(path);
    const h = res.headers();
    expect(h['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(h['content-security-policy'], path).toContain("'wasm-unsafe-eval'");
    expect(h['x-content-type-options'], path).toBe('nosniff');
    expect(h['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
    expect(h['x-request-id'], path).toBeTruthy();
  }
});

test('the app opens offline after one visit and says so', async ({ page, context }) => {
  const cons = watchConsole(page, [/ERR_INTERNET_DISCONNECTED/, /Failed to fetch/, /net::ERR_/]);
  await page.goto('/');
  await hydrated(page);
  await serviceWorkerActive(context, page);
  // Visit the areas once so their pages are cached too.
  await page.goto('/options');
  await hydrated(page);

  await context.setOffline(true);
  await page.goto('/');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await page.goto('/options');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Strategy Lab' })).toBeVisible();
  await shot(page, 'offline');
  await context.setOffline(false);
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);
  cons.assertClean();
});

test('phone layout uses the bottom tab bar', async ({ browser }) => {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  const cons = watchConsole(page);
  await page.goto('/');
  await hydrated(page);
  const tabbar = page.locator('nav.tabbar');
  await expect(tabbar).toBeVisible();
  await expect(page.locator('nav.areas')).toBeHidden();
  // nothing overflows the narrow viewport horizontally
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, 'phone-home');
  cons.assertClean();
  await ctx.close();
});
