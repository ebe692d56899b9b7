import { test, expect } from '@playwright/test';
import { watchConsole, hydrated, uniqueEmail, signUp, shot } from './helpers';

test('invite a second user who accepts in another browser and sees Viewer limits', async ({ browser }) => {
  const owner = await browser.newContext();
  const ownerPage = await owner.newPage();
  const ownerConsole = watchConsole(ownerPage);
  await signUp(ownerPage, 'Olga', uniqueEmail('olga'));
  await expect(ownerPage.getByRole('heading', { name: 'Welcome back, Olga' })).toBeVisible();

  const guestEmail = uniqueEmail('vic');
  await ownerPage.goto('/settings');
  await hydrated(ownerPage);
  await ownerPage.getByLabel('E-mail', { exact: true }).fill(guestEmail);
  await ownerPage.getByLabel('Role', { exact: true }).selectOption('viewer');
  await ownerPage.getByRole('button', { name: 'Create invite link' }).click();
  const url = (await ownerPage.getByTestId('invite-url').textContent())!.trim();
  expect(url).toContain('/invite/');
  await shot(ownerPage, 'settings-members');

  // The invitee, in a separate browser context (separate cookies).
  const guest = await browser.newContext();
  const page = await guest.newPage();
  const guestConsole = watchConsole(page);
  await page.goto(new URL(url).pathname);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: /Join Olga's workspace/ })).toBeVisible();
  await page.getByRole('link', { name: 'Create an account to accept' }).click();
  await hydrated(page);
  await expect(page.getByLabel('E-mail')).toHaveValue(guestEmail);
  await page.getByLabel('Name').fill('Vic');
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'Accept invitation' })).toBeVisible();
  await page.getByRole('button', { name: 'Accept invitation' }).click();

  // Now in Olga's workspace as a Viewer: read-only notice, no invite form, no role editing.
  await expect(page.getByTestId('active-workspace')).toHaveText("Olga's workspace");
  await expect(page.getByTestId('active-role')).toHaveText('Viewer');
  await expect(page.getByTestId('viewer-notice')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create invite link' })).toHaveCount(0);
  await expect(page.getByTestId('members')).toContainText('Olga');
  await expect(page.getByTestId('members').locator('select')).toHaveCount(0);
  await shot(page, 'viewer-settings');

  // The owner sees the new member.
  await ownerPage.reload();
  await hydrated(ownerPage);
  await expect(ownerPage.getByTestId('members')).toContainText('Vic');

  ownerConsole.assertClean();
  guestConsole.assertClean();
  await owner.close();
  await guest.close();
});
