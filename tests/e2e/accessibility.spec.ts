import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Cookie, type Page } from '@playwright/test';
import { act, createRoomWith, messageWith, openDm, send, signUp, username } from './helpers';

/**
 * axe-core finds no violations (all of its default rules: WCAG 2.x A/AA and best practices)
 * on every page, in both themes, at phone and desktop widths. The conversation is written
 * once by two people; each pass is one fresh browser context signed in as one of them.
 */

const PASSES = [
  { width: 390, height: 844, scheme: 'light' },
  { width: 390, height: 844, scheme: 'dark' },
  { width: 1280, height: 800, scheme: 'light' },
  { width: 1280, height: 800, scheme: 'dark' }
] as const;

let anaCookies: Cookie[] = [];
let roomUrl = '';
let dmUrl = '';
const FIRST = 'Who is in for the ridge trail on Saturday?';
const LAST = 'See you at the trailhead';

test.beforeAll(async ({ browser }, testInfo) => {
  testInfo.setTimeout(120_000);
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  // A room Ana never opens: it keeps an unread badge in her list for every pass.
  await createRoomWith(ana, 'Book club', boName);
  await ana.getByRole('link', { name: /Rooms/ }).click();
  await bo.reload();
  await bo.getByRole('link', { name: /Book club/ }).click();
  await send(bo, 'Chapter one is great');
  await send(bo, 'Chapter two even better');
  await expect(ana.getByRole('link', { name: /Book club/ }).getByLabel('2 unread')).toBeVisible();

  roomUrl = await createRoomWith(ana, 'Saturday hike', boName);
  await bo.goto(roomUrl);
  await send(ana, FIRST);
  await send(bo, 'Me! What time do we meet?');
  await act(bo, FIRST, 'Reply');
  await send(bo, 'Count me in, I will bring coffee');
  await act(ana, 'Count me in, I will bring coffee', 'React');
  await ana.getByRole('button', { name: 'Heart' }).click();
  await send(bo, 'Should we invite Cy?');
  await act(bo, 'Should we invite Cy?', 'Edit');
  await bo.getByLabel('Message', { exact: true }).fill('Should we invite Cy and Dee?');
  await bo.getByRole('button', { name: 'Save' }).click();
  await send(bo, `@${anaName} do you have the map?`);
  await send(ana, 'oops, wrong chat');
  await act(ana, 'oops, wrong chat', 'Delete');
  await expect(ana.getByRole('log').getByText('Message deleted')).toBeVisible();
  await act(ana, 'Me! What time do we meet?', 'Reply');
  await send(ana, LAST);
  await expect(ana.getByText(`Seen by ${boName}`)).toBeVisible();
  await expect(messageWith(ana, 'Should we invite Cy and Dee?').getByText('edited')).toBeVisible();

  // A DM the other person has seen (its double check).
  await ana.getByRole('link', { name: /Rooms/ }).click();
  await openDm(ana, boName);
  dmUrl = ana.url();
  await send(ana, 'Just us');
  await bo.goto(dmUrl);
  await expect(ana.getByRole('log').getByRole('img', { name: `Seen by ${boName}` })).toBeVisible();
  anaCookies = await ana.context().cookies();
  await ana.context().close();
  await bo.context().close();
});

/**
 * axe's findings on the page as it is now (or only inside `within`, for a part that changed:
 * a whole scan takes about a second on 2 cores), one readable line per element and rule.
 */
async function violations(page: Page, where: string, within?: string): Promise<string[]> {
  const axe = new AxeBuilder({ page });
  if (within) axe.include(within);
  const results = await axe.analyze();
  return results.violations.flatMap((v) => v.nodes.map((n) => `${where}: ${v.id} at ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`));
}

for (const pass of PASSES) {
  test(`no axe violations at ${pass.width} px, ${pass.scheme}`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: pass.width, height: pass.height }, colorScheme: pass.scheme });
    const page = await context.newPage();
    const found: string[] = [];

    await page.goto('/');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    found.push(...(await violations(page, 'sign-in')));

    await context.addCookies(anaCookies);
    await page.goto('/');
    await expect(page.getByRole('link', { name: /Book club/ }).getByLabel('2 unread')).toBeVisible();
    found.push(...(await violations(page, 'room list')));

    await page.getByRole('button', { name: 'New room' }).click();
    await expect(page.getByLabel('Room name')).toBeFocused();
    found.push(...(await violations(page, 'new room form')));

    await page.goto(roomUrl);
    await expect(messageWith(page, LAST).getByRole('img', { name: 'Sent' })).toBeVisible();
    await expect(messageWith(page, 'Count me in, I will bring coffee').getByRole('button', { name: /Heart 1/ })).toBeVisible();
    found.push(...(await violations(page, 'room')));

    // Wide screens show the members beside the chat (scanned above); narrow ones in a drawer.
    const members = page.getByRole('complementary', { name: 'Members' });
    if (!(await members.isVisible())) {
      await page.getByRole('button', { name: /Members/ }).click();
      await expect(members.getByRole('heading', { name: /Members/ })).toBeVisible();
      found.push(...(await violations(page, 'members panel')));
      await page.keyboard.press('Escape');
    }

    const message = messageWith(page, FIRST);
    await message.hover();
    await message.getByRole('button', { name: 'More actions' }).click();
    await expect(message.getByRole('button', { name: 'Reply', exact: true })).toBeVisible();
    found.push(...(await violations(page, 'message menu', '[role="log"]')));
    await message.getByRole('button', { name: 'React', exact: true }).click();
    await expect(message.getByRole('button', { name: 'Heart' })).toBeVisible();
    found.push(...(await violations(page, 'emoji picker', '[role="log"]')));
    await page.keyboard.press('Escape');

    await context.setOffline(true);
    await send(page, `offline note (${pass.width} ${pass.scheme})`);
    await expect(messageWith(page, `offline note (${pass.width} ${pass.scheme})`).getByRole('img', { name: 'Pending' })).toBeVisible();
    found.push(...(await violations(page, 'room offline, pending', 'main')));
    await context.setOffline(false);

    await page.goto(dmUrl);
    await expect(page.getByRole('log').getByRole('img', { name: /^Seen by / })).toBeVisible();
    found.push(...(await violations(page, 'DM')));
    await page.getByRole('button', { name: 'Notifications' }).click();
    await expect(page.getByLabel('Mute this room')).toBeVisible();
    found.push(...(await violations(page, 'DM notifications')));

    await page.goto('/settings');
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    found.push(...(await violations(page, 'settings')));

    await page.goto('/no-such-page');
    await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
    found.push(...(await violations(page, '404')));

    expect(found).toEqual([]);
    await context.close();
  });
}
