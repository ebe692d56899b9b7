import { test, expect } from '@playwright/test';
import { watchConsole, hydrated, uniqueEmail, signUp, signIn, shot, PASSWORD } from './helpers';

test('sign up, sign out, sign in; forms validate inline', async ({ page }) => {
  // This test provokes a 409 and 401s on purpose; Chromium logs each refused request.
  const cons = watchConsole(page, [/Failed to load resource: the server responded with a status of (401|409)/]);
  const email = uniqueEmail('ana');

  // Inline validation before anything is sent.
  await page.goto('/signup');
  await hydrated(page);
  await shot(page, 'signup');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Password', { exact: true }).blur();
  await expect(page.getByText('Use at least 10 characters (5 so far)')).toBeVisible();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Enter a name')).toBeVisible();
  await expect(page.getByText('Enter your e-mail address')).toBeVisible();

  await signUp(page, 'Ana', email);
  await expect(page.getByRole('heading', { name: 'Welcome back, Ana' })).toBeVisible();
  await expect(page.locator('.hero strong')).toHaveText("Ana's workspace");
  await shot(page, 'home-signed-in');

  // The same e-mail cannot sign up twice; the message sits by the e-mail field.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' }).first()).toBeVisible();
  await signUp(page, 'Ana again', email);
  await expect(page.getByText('An account with this e-mail already exists')).toBeVisible();

  // Wrong password: one message for unknown e-mail and wrong password alike.
  await signIn(page, email, 'not the password');
  await expect(page.getByRole('alert')).toHaveText('Incorrect e-mail or password');
  await signIn(page, uniqueEmail('nobody'), PASSWORD);
  await expect(page.getByRole('alert')).toHaveText('Incorrect e-mail or password');

  await signIn(page, email);
  await expect(page.getByRole('heading', { name: 'Welcome back, Ana' })).toBeVisible();
  cons.assertClean();
});

test('create an API key in Settings and use it', async ({ page, request }) => {
  const cons = watchConsole(page);
  await signUp(page, 'Keys', uniqueEmail('keys'));
  await expect(page.getByRole('heading', { name: 'Welcome back, Keys' })).toBeVisible();
  await page.goto('/settings');
  await hydrated(page);
  await expect(page.getByTestId('no-keys')).toBeVisible();
  await page.getByLabel('Key name').fill('backtest script');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.getByTestId('new-api-key').textContent())!.trim();
  expect(key).toMatch(/^rfk_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId('api-keys')).toContainText('backtest script');
  await shot(page, 'settings-api-key');

  const res = await request.get('/api/v1/me', { headers: { 'X-API-Key': key } });
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.success).toBe(true);
  expect(body.data.user.name).toBe('Keys');

  const bad = await request.get('/api/v1/me', { headers: { 'X-API-Key': 'rfk_nope' } });
  expect(bad.status()).toBe(401);
  expect((await bad.json()).error.code).toBe('UNAUTHORIZED');
  cons.assertClean();
});
