import { expect, test } from '@playwright/test';
import { act, createRoomWith, send, signUp, username, messageWith } from './helpers';

test('presence, typing indicator and read receipts between two people', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Porch talk', boName);

  await send(ana, 'Anyone around?');
  await expect(ana.getByRole('log').getByLabel('Sent')).toHaveCount(1);
  await expect(ana.getByText(/^Seen by/)).toHaveCount(0);

  await bo.goto(roomUrl);
  // Bo is online for Ana (members panel and header), and the other way round.
  await expect(ana.getByText('2 online')).toBeVisible();
  await expect(bo.getByText('2 online')).toBeVisible();

  // Bo has seen Ana's message on screen with the window focused.
  await expect(ana.getByText(`Seen by ${boName}`)).toBeVisible();

  await bo.getByLabel('Message').pressSequentially('Yes, here', { delay: 20 });
  await expect(ana.getByRole('main').getByText(`${boName} is typing…`)).toBeVisible({ timeout: 2000 });
  await bo.getByRole('button', { name: 'Send' }).click();
  await expect(ana.getByRole('main').getByText(`${boName} is typing…`)).toHaveCount(0);
  await expect(ana.getByRole('log').getByText('Yes, here')).toBeVisible();

  // Typing stops on its own a few seconds after the last keystroke.
  await bo.getByLabel('Message').pressSequentially('hm', { delay: 20 });
  await expect(ana.getByRole('main').getByText(`${boName} is typing…`)).toBeVisible();
  await expect(ana.getByRole('main').getByText(`${boName} is typing…`)).toHaveCount(0, { timeout: 6000 });

  // Bo leaves the room page: Ana's header shows one person online.
  await bo.goto('about:blank');
  await expect(ana.getByText('1 online')).toBeVisible({ timeout: 40_000 });
});

test('unread badge in the room list, live, resets when the room is opened', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  await createRoomWith(ana, 'Book club', boName);
  await bo.reload();
  const row = bo.getByRole('link', { name: /Book club/ });
  await expect(row).toBeVisible();
  await expect(bo.getByLabel(/unread$/)).toHaveCount(0);

  await send(ana, 'Chapter one is great');
  await send(ana, 'Chapter two even better');
  await expect(row.getByLabel('2 unread')).toBeVisible();
  await expect(row).toContainText('Chapter two even better');
  await expect(bo).toHaveTitle(/^\(2\) /);

  await row.click();
  await expect(bo.getByRole('log').getByText('Chapter two even better')).toBeVisible();
  await bo.getByRole('link', { name: /Rooms/ }).click();
  await expect(bo.getByRole('link', { name: /Book club/ })).toBeVisible();
  await expect(bo.getByLabel(/unread$/)).toHaveCount(0);
  await expect(bo).not.toHaveTitle(/^\(/);
});

test('reply, edit, delete and react to messages', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Dinner', boName);
  await bo.goto(roomUrl);

  await send(ana, 'Pizza or sushi?');
  await expect(bo.getByRole('log').getByText('Pizza or sushi?')).toBeVisible();

  // Reply: the quote shows on both sides.
  await act(bo, 'Pizza or sushi?', 'Reply');
  await expect(bo.getByText(`Replying to ${anaName}`)).toBeVisible();
  await send(bo, 'Sushi!');
  const reply = ana.getByRole('log').getByRole('article').filter({ hasText: 'Sushi!' });
  await expect(reply.getByRole('button', { name: /Reply to .*Pizza or sushi\?/ })).toBeVisible();
  await expect(bo.getByText(`Replying to ${anaName}`)).toHaveCount(0);

  // Edit own message.
  await act(ana, 'Pizza or sushi?', 'Edit');
  await ana.getByLabel('Message').fill('Pizza, sushi or tacos?');
  await ana.getByRole('button', { name: 'Save' }).click();
  const edited = messageWith(bo, 'Pizza, sushi or tacos?');
  await expect(edited.getByText('edited')).toBeVisible();
  // The reply's quote follows the edit.
  await expect(bo.getByRole('log').getByRole('article').filter({ hasText: 'Sushi!' })).toContainText('Pizza, sushi or tacos?');

  // React and toggle.
  await act(bo, 'Pizza, sushi or tacos?', 'React');
  await bo.getByRole('button', { name: 'Thumbs up' }).click();
  const anaSees = messageWith(ana, 'Pizza, sushi or tacos?');
  await expect(anaSees.getByRole('button', { name: `Thumbs up 1: ${boName}` })).toBeVisible();
  await anaSees.getByRole('button', { name: /Thumbs up 1/ }).click();
  await expect(bo.getByRole('log').getByRole('button', { name: /Thumbs up 2/ })).toBeVisible();
  await bo.getByRole('log').getByRole('button', { name: /Thumbs up 2/ }).click();
  await expect(anaSees.getByRole('button', { name: `Thumbs up 1: ${anaName}` })).toBeVisible();

  // Delete own message: "Message deleted" in place on both sides (for Ana once Bo's Undo is over).
  await act(bo, 'Sushi!', 'Delete');
  await expect(ana.getByRole('log').getByText('Message deleted')).toBeVisible({ timeout: 15_000 });
  await expect(ana.getByRole('log').getByText('Sushi!')).toHaveCount(0);
  await expect(bo.getByRole('log').getByText('Message deleted')).toBeVisible();

  // Bo may not edit or delete Ana's message.
  const others = messageWith(bo, 'Pizza, sushi or tacos?');
  await others.hover();
  await others.getByRole('button', { name: 'More actions' }).click();
  await expect(others.getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);
  await expect(others.getByRole('button', { name: 'Delete', exact: true })).toHaveCount(0);
  await bo.keyboard.press('Escape');
  await expect(others.getByRole('button', { name: 'Reply', exact: true })).toHaveCount(0);
  // Nothing got the room closed for breaking a write rule.
  await expect(bo.getByText(/refused a change/)).toHaveCount(0);
  await expect(ana.getByText(/refused a change/)).toHaveCount(0);
});

test('a reply jumps to its message far up in the history; links and mentions render safely', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Long room', boName);
  await send(ana, 'The very first message');
  for (let i = 0; i < 40; i++) await send(ana, `filler ${i}`);
  await bo.goto(roomUrl);
  await expect(bo.getByRole('log').getByText('filler 39')).toBeVisible();
  // virtualised: the top of the history is not in the DOM
  await expect(bo.getByRole('log').getByText('The very first message')).toHaveCount(0);

  await bo.getByRole('log').evaluate((log) => (log.scrollTop = 0));
  await act(bo, 'The very first message', 'Reply');
  await send(bo, `@${anaName} see https://example.com/docs and <b>not bold</b>`);
  const reply = ana.getByRole('log').getByRole('article').filter({ hasText: 'not bold' });
  await expect(reply.getByRole('link', { name: 'https://example.com/docs' })).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(reply.getByRole('link', { name: 'https://example.com/docs' })).toHaveAttribute('target', '_blank');
  await expect(reply.locator('b')).toHaveCount(0);
  await expect(reply.locator('.mention.me')).toHaveText(`@${anaName}`);

  await reply.getByRole('button', { name: /Reply to/ }).click();
  await expect(ana.getByRole('log').getByText('The very first message')).toBeInViewport();
});

test('direct messages from the room list, and member removal closes the room for the removed', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);

  await ana.getByRole('button', { name: 'New direct message' }).click();
  await ana.getByLabel('Person').fill(boName.slice(0, 6));
  await ana.getByRole('button', { name: `Message ${boName}` }).click();
  await expect(ana).toHaveURL(/\/rooms\/[\w-]+$/);
  await expect(ana.getByRole('heading', { name: boName })).toBeVisible();
  await send(ana, 'Just us');
  await bo.reload();
  await expect(bo.getByRole('link', { name: new RegExp(anaName) })).toBeVisible();
  await expect(bo.getByRole('link', { name: new RegExp(anaName) }).getByLabel('1 unread')).toBeVisible();
  await bo.getByRole('link', { name: new RegExp(anaName) }).click();
  await expect(bo.getByRole('log').getByText('Just us')).toBeVisible();
  // a DM shows a double check once the other person has seen it
  await expect(ana.getByRole('log').getByRole('img', { name: `Seen by ${boName}` })).toBeVisible();

  await ana.getByRole('link', { name: /Rooms/ }).click();
  const roomUrl = await createRoomWith(ana, 'Team', boName);
  await bo.goto(roomUrl);
  await expect(bo.getByRole('log')).toBeVisible();
  await ana.getByRole('button', { name: `Remove ${boName}` }).click();
  // the removal is sent once its Undo (5 s) is over
  await expect(bo.getByText('You are no longer a member of this room')).toBeVisible({ timeout: 15_000 });
  await expect(bo.getByLabel('Message')).toBeDisabled();
});
