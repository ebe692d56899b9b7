import { test, expect, Page } from '@playwright/test';
import { watchConsole, hydrated, serviceWorkerActive, signUp, uniqueEmail, shot } from './helpers';

/** Counts requests the page makes from now on (the lab must make none while repricing).
 *  Chromium re-reads the favicon each time history.replaceState changes the address (the
 *  shareable link); that is the browser's tab icon, not a round trip for data, so it is
 *  left out. */
function countRequests(page: Page) {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (!new URL(r.url()).pathname.startsWith('/icons/')) seen.push(`${r.method()} ${r.url()}`);
  });
  return seen;
}

async function text(page: Page, id: string) {
  return (await page.getByTestId(id).textContent())!.trim();
}

test('build and reprice a strategy in the browser with no network requests', async ({ page }) => {
  const cons = watchConsole(page);
  await page.goto('/options');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Strategy Lab' })).toBeVisible();
  // the default bull call spread is priced on the server page already
  await expect(page.getByTestId('max-profit')).not.toHaveText('');
  // let the page finish loading (icons, the service worker's first fetches), then count
  await page.waitForLoadState('networkidle');
  const requests = countRequests(page);
  await page.getByTestId('template').selectOption('iron_condor');
  await expect(page.getByTestId('leg-3')).toBeVisible();
  await expect(page.getByTestId('breakevens')).toContainText(',');
  const before = await text(page, 'max-profit');
  expect(before).not.toBe('Unlimited');

  // widen the short strikes: the credit (and so the max profit) changes at once
  await page.locator('#leg-1-strike').fill('97');
  await expect(page.getByTestId('max-profit')).not.toHaveText(before);
  await page.locator('#m-vol').fill('40');
  const pop = await text(page, 'pop');
  expect(pop).toMatch(/%$/);

  // the evaluation-date slider moves the dashed curve
  const curve0 = await page.getByTestId('eval-curve').getAttribute('d');
  await page.getByTestId('eval-slider').fill('20');
  await expect(page.getByTestId('eval-curve')).not.toHaveAttribute('d', curve0!);
  await expect(page.locator('label[for="eval-days"]')).toContainText('in 20 days');

  // a bad value gets a message and keeps the last good numbers
  await page.locator('#leg-2-strike').fill('abc');
  await expect(page.getByText('Enter a number')).toBeVisible();
  await page.locator('#leg-2-strike').fill('105');

  // a long call: unlimited profit
  await page.getByTestId('template').selectOption('long_call');
  await expect(page.getByTestId('max-profit')).toHaveText('Unlimited');
  await expect(page.getByTestId('greeks')).toContainText('Total');
  expect(requests, requests.join('\n')).toEqual([]);
  await shot(page, 'strategy-lab');
  cons.assertClean();
});

test('the link reopens the same strategy', async ({ page, browser }) => {
  await page.goto('/options');
  await hydrated(page);
  await page.getByTestId('template').selectOption('short_strangle');
  await page.locator('#m-spot').fill('250');
  await page.getByTestId('template').selectOption('short_strangle');
  await page.getByTestId('eval-slider').fill('12');
  await expect(page).toHaveURL(/\?s=/);
  const url = page.url();
  const net = await text(page, 'net');
  const be = await text(page, 'breakevens');

  const other = await browser.newPage();
  await other.goto(url);
  await hydrated(other);
  expect(await text(other, 'net')).toBe(net);
  expect(await text(other, 'breakevens')).toBe(be);
  await expect(other.locator('label[for="eval-days"]')).toContainText('in 12 days');
  await other.close();

  // a damaged link says so and falls back to the default
  await page.goto('/options?s=not-a-strategy');
  await expect(page.getByRole('alert').first()).toContainText('damaged');
});

test('wasm computes the same Monte Carlo bits as native, and the grid is fast', async ({ page }) => {
  await page.goto('/options');
  await hydrated(page);
  const result = await page.evaluate(async () => {
    // the module is already loaded and initialised by the hydration script
    const m: any = await import('/pkg/refract.js');
    return { fp: m.mc_fingerprint(42), grid: m.bench_strategy_grid(20) };
  });
  // pricer/tests pins mc_fingerprint(42) natively to the bits 0x40229c89f5486364
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, result.fp);
  expect(buf.getBigUint64(0).toString(16)).toBe('40229c89f5486364');
  expect(result.grid).toBeGreaterThan(0);
  console.log(`wasm P/L grid 100x30, 4 legs: ${result.grid.toFixed(3)} ms`);
});

test('offline: load once, then build and reprice without a connection', async ({ page, context }) => {
  const cons = watchConsole(page, [/ERR_INTERNET_DISCONNECTED/, /net::ERR_/]);
  await page.goto('/options');
  await hydrated(page);
  await serviceWorkerActive(context, page);
  await page.goto('/options');
  await hydrated(page);

  await context.setOffline(true);
  await page.goto('/options');
  await hydrated(page);
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await page.getByTestId('template').selectOption('iron_butterfly');
  await expect(page.getByTestId('leg-3')).toBeVisible();
  const before = await text(page, 'net');
  await page.locator('#m-spot').fill('120');
  await page.getByTestId('template').selectOption('iron_butterfly');
  await expect(page.getByTestId('net')).not.toHaveText(before);
  await context.setOffline(false);
  cons.assertClean();
});

test('signed-in users save a strategy and reopen it', async ({ page }) => {
  const cons = watchConsole(page);
  await signUp(page, 'Tess', uniqueEmail('tess'));
  await expect(page.getByRole('heading', { name: 'Welcome back, Tess' })).toBeVisible();
  await page.goto('/options');
  await hydrated(page);
  await expect(page.getByTestId('no-saved')).toBeVisible();
  await page.getByTestId('template').selectOption('collar');
  await page.locator('#strategy-name').fill('My collar');
  await page.getByTestId('save-strategy').click();
  await expect(page.getByTestId('saved-list')).toContainText('My collar');
  const net = await text(page, 'net');

  await page.getByTestId('template').selectOption('long_put');
  await expect(page.getByTestId('net')).not.toHaveText(net);
  await page.getByTestId('saved-list').getByRole('button', { name: 'Open' }).click();
  await expect(page.getByTestId('net')).toHaveText(net);
  await expect(page.getByTestId('leg-2')).toBeVisible();
  cons.assertClean();
});
