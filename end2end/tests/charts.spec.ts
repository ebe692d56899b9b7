import { test, expect } from '@playwright/test';
import { watchConsole, hydrated, signUp, uniqueEmail, shot } from './helpers';

test('generate a chart with RSI and Bollinger Bands, see it in the history, analyse it, hit the quota', async ({ page }) => {
  test.setTimeout(120_000);
  // The refused sixth chart answers 429 on purpose.
  const con = watchConsole(page, [/Failed to load resource.*429/]);
  await signUp(page, 'Chartist', uniqueEmail('charts'));
  await expect(page.getByRole('heading', { name: 'Welcome back, Chartist' })).toBeVisible();
  await page.goto('/charts');
  await hydrated(page);
  await expect(page.getByTestId('no-charts')).toBeVisible();
  await expect(page.getByTestId('quota')).toContainText('0 of 5 charts');

  // RSI and Bollinger Bands are ticked by default; make sure of it.
  await page.getByTestId('chart-symbol').fill('AAPL');
  await page.getByTestId('chart-range').selectOption('1Y');
  await expect(page.getByTestId('study-rsi')).toBeChecked();
  await expect(page.getByTestId('study-bbands')).toBeChecked();
  await page.getByTestId('chart-generate').click();
  const history = page.getByTestId('chart-history');
  await expect(history.locator('li')).toHaveCount(1);
  const img = history.locator('img').first();
  await expect(img).toHaveAttribute('alt', 'AAPL 1D chart');
  // The image is served and decoded at its full size.
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(1200);
  await expect(page.getByTestId('quota')).toContainText('1 of 5 charts');

  // Open it and analyse it.
  await history.locator('button').first().click();
  await expect(page.getByTestId('chart-view')).toBeVisible();
  await page.getByTestId('chart-analyze').click();
  await expect(page.getByTestId('recommendation')).toHaveText(/^(LONG|SHORT|NEUTRAL)$/);
  await expect(page.getByTestId('analysis')).toContainText('confidence');
  // No LLM key on the test server: the technical analyst answers, and says so.
  await expect(page.getByTestId('analysis-model')).toContainText('Analyst: refract-technical-1');
  await shot(page, 'charts');

  // Save the settings as a template; change them; the template brings them back.
  await page.getByTestId('template-name').fill('Daily RSI BB');
  await page.getByTestId('template-save').click();
  await expect(page.getByTestId('template-message')).toHaveText('Saved template “Daily RSI BB”.');
  await page.getByTestId('chart-range').selectOption('3M');
  await page.getByTestId('study-rsi').uncheck();
  await page.getByTestId('template-pick').selectOption({ label: 'Daily RSI BB' });
  await expect(page.getByTestId('chart-range')).toHaveValue('1Y');
  await expect(page.getByTestId('study-rsi')).toBeChecked();

  // A watchlist at once: two more charts with the same settings.
  await page.getByTestId('bulk-symbols').fill('ibm, msft');
  await page.getByTestId('bulk-generate').click();
  await expect(page.getByTestId('bulk-result')).toHaveText('2 charts generated.');
  await expect(history.locator('li')).toHaveCount(3);
  await expect(page.getByTestId('quota')).toContainText('3 of 5 charts');

  // Two more charts use the free plan's five; the sixth is refused with the reason.
  for (const sym of ['GOOG', 'FB']) {
    await page.getByTestId('chart-symbol').fill(sym);
    await page.getByTestId('chart-generate').click();
    await expect(page.getByTestId('chart-generate')).toBeEnabled();
  }
  await expect(history.locator('li')).toHaveCount(5);
  await page.getByTestId('chart-symbol').fill('AAPL');
  await page.getByTestId('chart-generate').click();
  await expect(page.getByTestId('chart-error').first()).toHaveText(
    'Monthly chart generation limit reached. Upgrade your plan to continue.',
  );
  await expect(history.locator('li')).toHaveCount(5);
  await page.getByTestId('bulk-symbols').fill('AAPL');
  await page.getByTestId('bulk-generate').click();
  await expect(page.getByTestId('bulk-result')).toContainText('0 charts generated, 1 failed:');
  await expect(page.getByTestId('bulk-result')).toContainText('AAPL: Monthly chart generation limit reached.');

  // Two charts side by side.
  await history.getByTestId('compare-pick').nth(0).check();
  await history.getByTestId('compare-pick').nth(1).check();
  const compare = page.getByTestId('compare');
  await expect(compare.locator('img')).toHaveCount(2);
  await expect(compare.locator('figcaption').first()).toContainText('FB · 1D');
  await expect(compare.locator('figcaption').nth(1)).toContainText('GOOG · 1D');
  await compare.scrollIntoViewIfNeeded();
  await shot(page, 'charts-compare');

  // A chart from the history opens in the interactive chart (the newest is FB's).
  await history.locator('button').first().click();
  await page.getByTestId('chart-explore').click();
  await expect(page.getByTestId('explore-canvas')).toHaveAttribute('aria-label', /^FB 1D interactive chart/);
  con.assertClean();
});
