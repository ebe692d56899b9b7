import { test, expect } from '@playwright/test';
import { watchConsole, hydrated, signUp, uniqueEmail } from './helpers';

// A chart analysis becomes a planned trade in the journal, and is deleted from there.
test('plan a trade from an analysis, see it in the journal, delete it', async ({ page }) => {
  test.setTimeout(90_000);
  const con = watchConsole(page);
  await signUp(page, 'Planner', uniqueEmail('plans'));
  await expect(page.getByRole('heading', { name: 'Welcome back, Planner' })).toBeVisible();
  await page.goto('/charts');
  await hydrated(page);

  // 260 days of a steady rise (the API test's series): the analyst says LONG.
  const rows = Array.from({ length: 260 }, (_, i) => {
    const d = new Date(Date.UTC(2023, 0, 2 + i)).toISOString().slice(0, 10);
    const c = 100 + 0.5 * i + Math.sin(i);
    const o = c - 0.5;
    const f = (x: number) => x.toFixed(2);
    return `${d},${f(o)},${f(Math.max(c, o) + 0.8)},${f(Math.min(c, o) - 0.8)},${f(c)},${1000 + 10 * i}`;
  });
  await page.getByTestId('import-bars').locator('summary').click();
  await page.getByTestId('bars-symbol').fill('UPTR');
  await page.getByTestId('bars-paste').fill(['date,open,high,low,close,volume', ...rows].join('\n'));
  await page.getByTestId('bars-import').click();
  await expect(page.getByTestId('bars-result')).toContainText('UPTR 1D: 260 bars');

  await page.getByTestId('chart-symbol').fill('UPTR');
  await page.getByTestId('chart-range').selectOption('1Y');
  await page.getByTestId('chart-generate').click();
  const history = page.getByTestId('chart-history');
  await expect(history.locator('li')).toHaveCount(1);
  await history.locator('button').first().click();
  await page.getByTestId('chart-analyze').click();
  await expect(page.getByTestId('recommendation')).toHaveText('LONG');

  await page.getByTestId('plan-trade').click();
  const result = page.getByTestId('plan-result');
  await expect(result).toContainText(/^Planned: long UPTR at [\d.]+, stop [\d.]+, target [\d.]+\./);
  await expect(page.getByTestId('plan-trade')).toBeDisabled();

  await result.getByRole('link', { name: 'See it in the journal' }).click();
  await expect(page).toHaveURL(/\/journal\?tab=plans$/);
  await hydrated(page);
  await expect(page.getByTestId('tab-plans')).toHaveAttribute('aria-selected', 'true');
  const plan = page.getByTestId('plan');
  await expect(plan).toHaveCount(1);
  await expect(plan).toContainText('LONG');
  await expect(plan).toContainText('UPTR');
  await expect(plan).toContainText(/reward\/risk \d+\.\d\d/);

  page.once('dialog', (d) => d.accept());
  await plan.getByTestId('plan-delete').click();
  await expect(page.getByTestId('plan-message')).toHaveText('Deleted the plan to go long UPTR');
  await expect(page.getByTestId('plans-empty')).toBeVisible();

  // A trade in UPTR (entered through the API with this session) shows its MAE and MFE
  // from the imported bars: long 100 from 166 on 2023-05-01, stop 156, out on 2023-05-31.
  // The lowest low of those 31 daily bars is 157.83, the highest high 174.91.
  const made = await page.request.post('/api/v1/trades', {
    data: { symbol: 'UPTR', side: 'long', quantity: '100', entry_price: '166',
      entry_time: '2023-05-01T15:00:00Z', exit_price: '170', exit_time: '2023-05-31T20:00:00Z', stop: '156' },
  });
  expect(made.status()).toBe(201);
  await page.getByTestId('tab-trades').click();
  await page.getByTestId('trade-row').first().click();
  await expect(page.getByTestId('trade-excursion')).toHaveText(
    'MAE -817.00 (-0.82R) at 157.83 · MFE +891.00 (+0.89R) at 174.91 · from 31 1D bars (whole days: upper bounds)',
  );
  con.assertClean();
});
