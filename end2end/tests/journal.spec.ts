import { test, expect, Page } from '@playwright/test';
import { watchConsole, hydrated, signUp, uniqueEmail, shot } from './helpers';

const DATA = '../journal/tests/data/imports/';
/** Every sample a broker exports as-is (the mapped and the broken ones are tested apart). */
const SAMPLES = [
  'ibkr_flex_trades.csv',
  'ibkr_flex_sections.csv',
  'thinkorswim_statement.csv',
  'schwab_transactions.csv',
  'tastytrade_transactions.csv',
  'robinhood_activity.csv',
  'webull_orders.csv',
  'webull_options_orders.csv',
  'generic_tradervue.csv',
  'generic_semicolon_bom.csv',
];

async function importFile(page: Page, file: string) {
  await page.setInputFiles('#import-file', DATA + file);
  await page.getByTestId('import-preview').click();
  const report = page.getByTestId('import-report');
  await expect(report, file).toHaveAttribute('data-status', 'preview');
  await expect(page.getByTestId('import-trades'), file).toBeVisible();
  await page.getByTestId('import-commit').click();
  await expect(report, file).toHaveAttribute('data-status', 'done');
}

test('import every broker sample, edit and tag a trade, filter, see the dashboard, export and re-import', async ({ page }) => {
  test.setTimeout(120_000);
  // The refused file answers 400 on purpose.
  const cons = watchConsole(page, [/Failed to load resource.*400/]);
  await signUp(page, 'Jules', uniqueEmail('journal'));
  await expect(page.getByRole('heading', { name: 'Welcome back, Jules' })).toBeVisible();
  await page.goto('/journal');
  await hydrated(page);
  await expect(page.getByTestId('no-trades')).toBeVisible();

  await page.getByTestId('tab-import').click();
  for (const f of SAMPLES) await importFile(page, f);

  // A statement with an unsupported row is refused whole, then imported without that row
  // when asked.
  await page.setInputFiles('#import-file', DATA + 'ibkr_activity_statement.csv');
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-error')).toContainText('could not be read');
  await expect(page.getByTestId('import-errors')).toContainText('Bonds');
  await page.getByTestId('import-skip-errors').click();
  await expect(page.getByTestId('import-report')).toHaveAttribute('data-status', 'done');
  // Broken rows are listed with their line numbers in the preview.
  await page.setInputFiles('#import-file', DATA + 'generic_with_errors.csv');
  await page.getByTestId('import-preview').click();
  await expect(page.getByTestId('import-errors')).toContainText('is not a number');

  // The trades are there; edit and tag one, then filter by the tag.
  await page.getByTestId('tab-trades').click();
  const rows = page.getByTestId('trade-row');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(10);
  await page.getByTestId('filter-symbol').fill('AAPL');
  await page.getByTestId('filter-symbol').press('Enter');
  await page.getByTestId('filter-symbol').blur();
  await expect(rows.first()).toHaveAttribute('data-symbol', 'AAPL');
  await rows.first().click();
  await page.getByTestId('edit-setup').fill('Opening range');
  await page.getByTestId('edit-tags').fill('breakout, a-plus');
  // Notes are Markdown, rendered safely: markup typed in them stays text.
  await page.getByTestId('edit-notes').fill('Waited for the **retest**. <img src=x onerror=alert(1)>');
  const preview = page.getByTestId('notes-preview');
  await expect(preview.locator('strong')).toHaveText('retest');
  await expect(preview).toContainText('<img src=x onerror=alert(1)>');
  await expect(preview.locator('img')).toHaveCount(0);
  await page.getByTestId('save-trade').click();
  await expect(page.getByTestId('trade-detail')).toContainText('Saved');
  await page.getByTestId('filter-symbol').fill('');
  await page.getByTestId('filter-symbol').blur();
  await page.getByTestId('filter-tag').selectOption('breakout');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('breakout');
  // Delete with undo.
  await rows.first().click();
  await page.getByTestId('delete-trade').click();
  await expect(page.getByTestId('no-trades')).toBeVisible();
  await page.getByTestId('undo-delete').click();
  await expect(rows).toHaveCount(1);
  await page.getByTestId('filter-tag').selectOption('');
  await shot(page, 'journal-trades');

  // Manage tags: rename and recolour one (every trade follows), delete another.
  await page.getByTestId('tag-manager').locator('summary').click();
  const plus = page.locator('[data-testid="tag-editor"][data-tag="a-plus"]');
  await plus.getByTestId('tag-name').fill('A+');
  await plus.getByTestId('tag-color-ec4899').check();
  await plus.getByTestId('tag-save').click();
  await expect(page.getByTestId('tag-message')).toHaveText('Saved tag “A+”.');
  await expect(page.locator('[data-testid="trade-row"] .tag', { hasText: 'A+' })).toHaveAttribute('data-color', '#ec4899');
  const breakout = page.locator('[data-testid="tag-editor"][data-tag="breakout"]');
  await breakout.getByTestId('tag-delete').click();
  await breakout.getByTestId('tag-delete-confirm').click();
  await expect(page.getByTestId('tag-message')).toHaveText('Tag deleted; it is off every trade.');
  await expect(page.locator('[data-testid="trade-row"] .tag', { hasText: 'breakout' })).toHaveCount(0);
  await expect(page.getByTestId('filter-tag').locator('option')).toHaveText(['Any', 'A+']);

  // The dashboard draws the equity curve and the statistics.
  await page.getByTestId('tab-dashboard').click();
  await expect(page.getByTestId('equity-curve')).toBeVisible();
  await expect(page.getByTestId('stats')).toContainText('Win rate');
  await expect(page.getByTestId('calendar')).toBeVisible();
  await shot(page, 'journal-dashboard');

  // Export as CSV and re-import it (pasted): nothing is added twice.
  const csv = await (await page.request.get('/api/v1/trades/export?format=csv')).text();
  expect(csv.split('\n').length).toBeGreaterThan(20);
  await page.getByTestId('tab-import').click();
  await page.getByTestId('import-paste').fill(csv);
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-report')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('import-report')).toContainText('Imported 0 new executions');
  cons.assertClean();
});
