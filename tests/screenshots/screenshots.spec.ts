import { expect, test } from '@playwright/test';
import { act, createRoomWith, send, signUp, username } from '../e2e/helpers';

// Screenshots for docs/screenshots: a realistic conversation at phone and desktop widths, light
// and dark. Not part of `npm test`: `npm run screenshots` refreshes them (then look at them).

test('room view screenshots', async ({ browser }) => {
  test.setTimeout(120_000);
  const ana = await signUp(browser, username('ana'));
  const boName = username('bo');
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Saturday hike', boName);
  await bo.goto(roomUrl);
  await send(ana, 'Who is in for the ridge trail on Saturday?');
  await send(bo, 'Me! What time do we meet?');
  await send(ana, 'Trailhead at 8. Map: https://example.com/ridge-trail');
  await act(bo, 'Trailhead at 8. Map: https://example.com/ridge-trail', 'Reply');
  await send(bo, 'Perfect, I will bring coffee ☕');
  await act(ana, 'Perfect, I will bring coffee ☕', 'React');
  await ana.getByRole('button', { name: 'Heart' }).click();
  await act(bo, 'Who is in for the ridge trail on Saturday?', 'React');
  await bo.getByRole('button', { name: 'Thumbs up' }).click();
  await send(bo, 'Should we invite Cy too?');
  await act(bo, 'Should we invite Cy too?', 'Edit');
  await bo.getByLabel('Message').fill('Should we invite Cy and Dee too?');
  await bo.getByRole('button', { name: 'Save' }).click();
  await send(ana, 'oops, wrong chat');
  await act(ana, 'oops, wrong chat', 'Delete');
  // the shots show the room once the delete is written (its Undo toast gone)
  await expect(ana.getByRole('button', { name: 'Undo' })).toHaveCount(0, { timeout: 10_000 });
  await send(ana, `@${boName} yes, ask them!`);
  await bo.getByLabel('Message').pressSequentially('On it', { delay: 30 });
  await expect(ana.getByRole('main').getByText(`${boName} is typing…`)).toBeVisible();

  const context = ana.context();
  const shots: [number, number, 'light' | 'dark'][] = [
    [390, 844, 'light'],
    [390, 844, 'dark'],
    [1280, 800, 'light'],
    [1280, 800, 'dark']
  ];
  for (const [width, height, scheme] of shots) {
    await ana.setViewportSize({ width, height });
    await ana.emulateMedia({ colorScheme: scheme });
    await bo.getByLabel('Message').pressSequentially('.', { delay: 10 });
    await expect(ana.getByRole('main').getByText(`${boName} is typing…`)).toBeVisible();
    await ana.mouse.move(0, 0);
    await ana.screenshot({ path: `docs/screenshots/room-${width}-${scheme}.png` });
  }
  await context.close();
});
