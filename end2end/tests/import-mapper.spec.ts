import { test, expect } from '@playwright/test';
import { watchConsole, hydrated, signUp, uniqueEmail, shot } from './helpers';

// A broker no parser knows: the import says so and offers the column mapper, which guesses
// the columns, previews the rows live, saves the mapping, and imports with it; the saved
// mapping (with its statement timezone) reads the same file again with nothing added twice.
const EU_BROKER = [
  'Trade Date;Trade Time;Ticker;Buy/Sell;Shares;Limit Price;Fill Price;Commission;Exchange Fee',
  '04.03.2024;09:30:05;SAP;Buy;10;180,00;179,50;1,00;0,10',
  '05.03.2024;15:59:59;SAP;Sell;10;;185,25;1,00;0,10',
].join('\n');

test('map the columns of an unknown broker file, save the mapping, import twice', async ({ page }) => {
  test.setTimeout(90_000);
  // The unrecognised file answers 400 on purpose.
  const con = watchConsole(page, [/Failed to load resource.*400/]);
  await signUp(page, 'Mapper', uniqueEmail('mapper'));
  await expect(page.getByRole('heading', { name: 'Welcome back, Mapper' })).toBeVisible();
  await page.goto('/journal');
  await hydrated(page);
  await page.getByTestId('tab-import').click();
  await page.getByTestId('import-tz').fill('Europe/Berlin');
  await page.getByTestId('import-paste').fill(EU_BROKER);
  await page.getByTestId('import-preview').click();
  await expect(page.getByTestId('import-error')).toContainText('not recognised');
  await page.getByTestId('import-map-columns').click();

  // The guess: every field from the header, the fill price rather than the limit.
  const mapper = page.getByTestId('mapper');
  await expect(mapper.getByTestId('map-date')).toHaveValue('Trade Date');
  await expect(mapper.getByTestId('map-time')).toHaveValue('Trade Time');
  await expect(mapper.getByTestId('map-symbol')).toHaveValue('Ticker');
  await expect(mapper.getByTestId('map-price')).toHaveValue('Fill Price');
  await expect(mapper.getByTestId('map-format')).toHaveValue('%d.%m.%Y %H:%M:%S');
  const rows = mapper.getByTestId('map-preview-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('2024-03-04 09:30:05');
  await expect(rows.nth(1)).toContainText('185.25');
  await expect(rows.nth(1)).toContainText('1.10');
  await mapper.scrollIntoViewIfNeeded();
  await shot(page, 'journal-mapper');

  // A wrong choice shows at once, row by row; putting it back clears it.
  await mapper.getByTestId('map-format').fill('%m/%d/%Y %H:%M:%S');
  await expect(mapper.getByTestId('map-preview-row-error')).toHaveCount(2);
  await expect(mapper.getByTestId('map-preview-row-error').first()).toContainText('does not match the format');
  await mapper.getByTestId('map-format').fill('%d.%m.%Y %H:%M:%S');
  await expect(rows).toHaveCount(2);

  await mapper.getByTestId('map-name').fill('Euro broker');
  await mapper.getByTestId('map-save').click();
  await expect(mapper.getByTestId('map-message')).toHaveText('Saved mapping “Euro broker”.');
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-report')).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('import-report')).toContainText('Imported 2 new executions');

  // Next time: the saved mapping brings its statement timezone back, so the same file
  // lands on the same instants and nothing is added twice.
  await page.reload();
  await hydrated(page);
  await page.getByTestId('tab-import').click();
  await expect(page.getByTestId('import-tz')).toHaveValue('America/New_York');
  await page.getByTestId('import-format').selectOption('mapped');
  await page.getByTestId('import-paste').fill(EU_BROKER);
  await page.getByTestId('map-saved').selectOption('Euro broker');
  await expect(page.getByTestId('import-tz')).toHaveValue('Europe/Berlin');
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-report')).toContainText('Imported 0 new executions');

  await page.getByTestId('tab-trades').click();
  const trade = page.getByTestId('trade-row');
  await expect(trade).toHaveCount(1);
  await expect(trade).toHaveAttribute('data-symbol', 'SAP');
  await expect(trade.getByTestId('trade-pnl')).toHaveText('55.30');
  con.assertClean();
});
