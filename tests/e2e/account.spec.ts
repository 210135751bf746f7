import { expect, test } from '@playwright/test';
import * as Y from 'yjs';
import { createRoomWith, send, signUp, username } from './helpers';

/** Deleting one's account, and a device whose copy of a room the server refuses. */

test('deleting my account with my password erases my messages if I ask, ends the session and clears this device', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Choir', boName);
  await bo.goto(roomUrl);
  await send(bo, 'I sing tenor');
  await expect(ana.getByRole('log').getByText('I sing tenor')).toBeVisible();

  await bo.goto('/settings');
  await bo.getByLabel('Also erase the text of all my messages').check();
  await bo.getByLabel('Password', { exact: true }).fill('wrong password');
  await bo.getByRole('button', { name: 'Delete my account' }).click();
  await expect(bo.getByRole('alert')).toHaveText('Your current password is not right');
  await bo.getByLabel('Password', { exact: true }).fill('correct horse battery');
  await bo.getByRole('button', { name: 'Delete my account' }).click();
  await expect(bo.getByRole('button', { name: 'Create account' })).toBeVisible();
  // Nothing of the account is left on the device.
  const left = await bo.evaluate(async () => ({
    stored: Object.keys(localStorage).filter((k) => k.startsWith('porch:')),
    databases: (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('porch:'))
  }));
  expect(left).toEqual({ stored: [], databases: [] });

  // Ana's open room: the message is gone and the line says who left.
  await expect(ana.getByRole('log').getByText('I sing tenor')).toHaveCount(0, { timeout: 5000 });
  await expect(ana.getByRole('log').getByText('Deleted user left')).toBeVisible();
  // The old name signs nobody in.
  await bo.getByLabel('Username').fill(boName);
  await bo.getByLabel('Password').fill('correct horse battery');
  await bo.getByRole('button', { name: 'Sign in' }).click();
  await expect(bo.getByRole('alert')).toBeVisible();
  await ana.context().close();
  await bo.context().close();
});

test('a device whose copy holds a change the server refuses (4400) offers to reset it, and the room comes back clean', async ({ browser }) => {
  const anaName = username('ana');
  const ana = await signUp(browser, anaName);
  const roomUrl = await createRoomWith(ana, 'Tampered');
  await send(ana, 'a real message');
  await expect(ana.getByRole('log').getByLabel('Sent')).toHaveCount(1);
  const roomId = new URL(roomUrl).pathname.split('/').pop()!;
  const userId = await ana.evaluate(async () => ((await (await fetch('/api/me')).json()) as { user: { id: string } }).user.id);

  // A message "by someone else" slipped into this device's copy (y-indexeddb's update store).
  const forged = new Y.Doc();
  forged.getArray('messages').insert(0, [{ id: 'forged-1', author: 'someone-else', text: 'not mine', ts: Date.now() }]);
  const update = Array.from(Y.encodeStateAsUpdate(forged));
  await ana.evaluate(
    ({ name, bytes }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('updates', 'readwrite');
          tx.objectStore('updates').add(new Uint8Array(bytes));
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    { name: `porch:${userId}:${roomId}`, bytes: update }
  );
  await ana.reload();
  await expect(ana.getByText('The server refused a change from this device')).toBeVisible();
  await ana.getByRole('button', { name: 'Reset this device’s copy' }).click();
  await expect(ana.getByRole('log').getByText('a real message')).toBeVisible();
  await expect(ana.getByRole('log').getByText('not mine')).toHaveCount(0);
  await expect(ana.getByText('The server refused a change from this device')).toHaveCount(0);
  await expect(ana.getByLabel('Message', { exact: true })).toBeEnabled();
  await ana.context().close();
});
