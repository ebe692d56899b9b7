import { test, expect } from '@playwright/test';
import * as fs from 'fs';
import { watchConsole, hydrated, signUp, uniqueEmail, shot } from './helpers';

const FILES = '../journal/tests/data/attachments/';

// Files on a trade: a chart screenshot gets a thumbnail, a PDF a tile, a file whose
// content is not what its name says is refused with the reason, a pasted screenshot
// uploads, and deleting asks first.
test('attach a screenshot and a PDF to a trade, refuse a disguised file, delete one', async ({ page }) => {
  test.setTimeout(90_000);
  // The refused upload answers 400 on purpose.
  const con = watchConsole(page, [/Failed to load resource.*400/]);
  await signUp(page, 'Attach', uniqueEmail('attach'));
  await expect(page.getByRole('heading', { name: 'Welcome back, Attach' })).toBeVisible();
  await page.goto('/journal');
  await hydrated(page);
  await page.getByTestId('tab-import').click();
  await page.getByTestId('import-paste').fill(
    'Date,Time,Symbol,Quantity,Price,Side\n2024-03-04,09:30:00,AAPL,100,170.00,Buy\n2024-03-04,10:15:00,AAPL,100,172.50,Sell\n',
  );
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-report')).toHaveAttribute('data-status', 'done');
  await page.getByTestId('tab-trades').click();
  await page.getByTestId('trade-row').first().click();
  const box = page.getByTestId('attachments');
  await expect(box.getByTestId('attachments-empty')).toBeVisible();

  await box.getByTestId('attach-file').setInputFiles(FILES + 'chart.png');
  const tiles = box.getByTestId('attachment');
  await expect(tiles).toHaveCount(1);
  const thumb = tiles.first().getByTestId('attachment-thumb');
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(320);
  await expect(tiles.first()).toContainText('chart.png');
  await expect(tiles.first()).toContainText('640×360');

  await box.getByTestId('attach-file').setInputFiles(FILES + 'plan.pdf');
  await expect(tiles).toHaveCount(2);
  await expect(tiles.nth(1)).toContainText('PDF');
  await expect(tiles.nth(1).locator('a')).toHaveAttribute('href', /\/api\/v1\/attachments\/[0-9a-f-]+$/);

  // A text file named like an image is refused by its content.
  await box.getByTestId('attach-file').setInputFiles({
    name: 'totally-a-chart.png', mimeType: 'image/png', buffer: Buffer.from('<script>alert(1)</script>'),
  });
  await expect(box.getByTestId('attach-error')).toContainText('content is none of them');
  await expect(tiles).toHaveCount(2);

  // A screenshot pasted from the clipboard uploads like a picked file.
  const png = fs.readFileSync(FILES + 'chart.png').toString('base64');
  await box.getByTestId('attach-paste').evaluate((zone, b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
    zone.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, png);
  await expect(tiles).toHaveCount(3);
  await expect(tiles.nth(2)).toHaveAttribute('data-name', 'pasted.png');
  await box.scrollIntoViewIfNeeded();
  await shot(page, 'journal-attachments');

  // Delete asks once more, then the file is gone (and stays gone after a reload).
  const del = tiles.first().getByTestId('attachment-delete');
  await del.click();
  await expect(del).toHaveText('Really delete?');
  await del.click();
  await expect(tiles).toHaveCount(2);
  await page.reload();
  await hydrated(page);
  await page.getByTestId('tab-trades').click();
  await page.getByTestId('trade-row').first().click();
  await expect(page.getByTestId('attachment')).toHaveCount(2);
  await expect(page.getByTestId('attachment').first()).toHaveAttribute('data-name', 'plan.pdf');
  con.assertClean();
});
