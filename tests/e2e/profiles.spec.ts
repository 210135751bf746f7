import { expect, test, type Page } from '@playwright/test';
import { createRoomWith, send, signUp, username, waitForServiceWorker } from './helpers';

/** Display names and avatars: set in settings, shown everywhere at once, kept offline. */

/** A 600×400 PNG drawn in the page: bigger than an avatar, and not square. */
async function photo(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 600;
    canvas.height = 400;
    const c = canvas.getContext('2d')!;
    c.fillStyle = '#2a6';
    c.fillRect(0, 0, 600, 400);
    c.fillStyle = '#fc3';
    c.fillRect(250, 150, 100, 100);
    return canvas.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.split(',')[1]!, 'base64');
}

test('a display name and a picture chosen in settings show in the other person’s open room and list at once, and offline', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Greenhouse', boName);
  await send(ana, 'Seedlings are in');
  await bo.goto(roomUrl);
  await waitForServiceWorker(bo);
  const message = bo.getByRole('log').getByRole('article').filter({ hasText: 'Seedlings are in' });
  await expect(message).toContainText(anaName);

  await ana.goto('/settings');
  await ana.getByLabel('Display name').fill('Ana Lima');
  await ana.getByRole('button', { name: 'Save' }).click();
  await expect(ana.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await ana.getByLabel('Profile picture').setInputFiles({ name: 'garden.png', mimeType: 'image/png', buffer: await photo(ana) });
  await expect(ana.getByRole('button', { name: 'Remove picture' })).toBeVisible();

  // Bo's page was open all along: the name and the picture follow without a reload.
  await expect(message).toContainText('Ana Lima', { timeout: 3000 });
  await expect(bo.getByText(`@${anaName}`)).toBeVisible();
  const picture = bo.locator(`img[src*="/avatar?v="]`).first();
  await expect(picture).toBeVisible();
  // Cropped to a square and no bigger than 256 px, in the browser.
  const size = await picture.evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    return [img.naturalWidth, img.naturalHeight];
  });
  expect(size).toEqual([256, 256]);

  // Offline, from this device: the name and the picture are still there.
  await bo.context().setOffline(true);
  await bo.reload();
  await expect(bo.getByRole('log').getByRole('article').filter({ hasText: 'Seedlings are in' })).toContainText('Ana Lima');
  await bo.goto('/');
  await expect(bo.getByRole('link', { name: /Greenhouse/ })).toContainText('Ana Lima');
  await bo.context().setOffline(false);

  // Clearing the name shows the username again.
  await ana.getByLabel('Display name').fill('');
  await ana.getByRole('button', { name: 'Save' }).click();
  await bo.goto(roomUrl);
  await expect(bo.getByRole('log').getByRole('article').filter({ hasText: 'Seedlings are in' })).toContainText(anaName);
  await ana.context().close();
  await bo.context().close();
});

test('bad profile input gets a clear answer and changes nothing', async ({ browser }) => {
  const page = await signUp(browser, username('cy'));
  const put = (data: Buffer, type: string) => page.request.put('/api/me/avatar', { data, headers: { 'content-type': type } });
  const text = await put(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/svg+xml');
  expect(text.status()).toBe(415);
  expect(await text.json()).toEqual({ error: { code: 'not_an_image', message: 'An avatar must be a PNG, JPEG, WebP or GIF image' } });
  const huge = await put(Buffer.alloc(5 * 1024 * 1024 + 1), 'image/png');
  expect(huge.status()).toBe(413);
  expect(((await huge.json()) as { error: { message: string } }).error.message).toBe('An avatar must be at most 5 MB');
  const wide = await put(await photo(page), 'image/png');
  expect(wide.status()).toBe(422);

  const long = await page.request.patch('/api/me', { data: { displayName: 'x'.repeat(65) } });
  expect(long.status()).toBe(400);
  expect(((await long.json()) as { error: { message: string } }).error.message).toBe('displayName: Display name must be at most 64 characters');
  const hidden = await page.request.patch('/api/me', { data: { displayName: 'ana\u202Egro.evil' } });
  expect(hidden.status()).toBe(400);
  const me = (await (await page.request.get('/api/me')).json()) as { user: { displayName: string | null; avatar: number | null } };
  expect(me.user).toMatchObject({ displayName: null, avatar: null });

  // In the page, a file that is not a picture is refused before anything is sent.
  await page.goto('/settings');
  await page.getByLabel('Profile picture').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(page.getByRole('alert')).toHaveText('That file is not a picture this browser can read.');
  await page.context().close();
});
