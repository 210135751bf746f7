import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { username, waitForServiceWorker } from './helpers';

/**
 * Issue 7, item 6: the headers a browser gets (on the network and from the service worker),
 * a page that uses the app with no CSP violation, and user text that never becomes markup.
 */

const PASSWORD = 'correct horse battery';

test('security headers on pages, the API and the shell the service worker serves; no framing', async ({ page, request, baseURL }) => {
  for (const path of ['/', '/shell', '/rooms/abc', '/settings', '/api/me', '/api/push/key', '/manifest.webmanifest']) {
    const res = await request.get(path);
    const h = res.headers();
    const csp = h['content-security-policy'] ?? '';
    expect(csp, path).toContain("frame-ancestors 'none'");
    expect(csp, path).toContain("object-src 'none'");
    expect(csp, path).toContain("base-uri 'self'");
    expect(csp, path).toMatch(/script-src 'self'( '(sha256|nonce)-[^']+')*;/);
    expect(csp, path).not.toContain('unsafe-inline');
    expect(csp, path).not.toContain('unsafe-eval');
    expect(h['x-content-type-options'], path).toBe('nosniff');
    expect(h['referrer-policy'], path).toBe('same-origin');
    expect(h['x-frame-options'], path).toBe('DENY');
    expect(h['cross-origin-opener-policy'], path).toBe('same-origin');
    expect(h['permissions-policy'], path).toContain('camera=()');
  }

  // What the service worker hands out for every navigation keeps the policy.
  await page.goto('/');
  await waitForServiceWorker(page);
  const cached = await page.evaluate(async () => {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        if (new URL(req.url).pathname === '/shell') return (await cache.match(req))?.headers.get('content-security-policy') ?? null;
      }
    }
    return null;
  });
  expect(cached).toContain("frame-ancestors 'none'");
  const navigation = await page.goto('/rooms/elsewhere');
  expect(navigation?.fromServiceWorker()).toBe(true);
  expect(navigation?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");

  // Another site cannot frame Porch (clickjacking): the browser refuses the framed page and
  // shows its own error page there, not the app. The other site is served from another
  // loopback port: Chromium's local network checks would block a frame from about:blank
  // before it reached Porch at all, and that would pass for the wrong reason.
  const shell = `${baseURL}/shell`;
  const other = createServer((_req, res) => res.setHeader('content-type', 'text/html').end(`<iframe src="${shell}" title="porch"></iframe>`));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const framed = page.waitForResponse((r) => r.url() === shell && r.frame() !== page.mainFrame());
    await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
    const refused = await framed;
    expect(refused.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(refused.headers()['x-frame-options']).toBe('DENY');
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    await expect.poll(() => frame!.url()).toMatch(/^chrome-error:/);
    expect(await frame!.evaluate(() => document.querySelector('.app-root') !== null)).toBe(false);
  } finally {
    other.close();
  }
});

/** Classic payloads; each, if it ever ran, would set window.__xss or open a dialog. */
const CORPUS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '<svg onload=window.__xss=1>',
  '<svg><script>window.__xss=1</script></svg>',
  '"><img src=x onerror=window.__xss=1>',
  "'><script>alert(1)</script>",
  'javascript:window.__xss=1',
  '[click me](javascript:window.__xss=1)',
  '[link](https://example.com" onmouseover="window.__xss=1)',
  '<a href="javascript:window.__xss=1">click</a>',
  '<iframe src="javascript:window.__xss=1"></iframe>',
  '<body onload=window.__xss=1>',
  '<details open ontoggle=window.__xss=1>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>',
  '<style>body{display:none}</style>',
  "{@html '<img src=x onerror=window.__xss=1>'}",
  "{{constructor.constructor('window.__xss=1')()}}",
  '${window.__xss=1}',
  '<!-- hidden --><b>bold</b>',
  '&lt;img src=x onerror=window.__xss=1&gt;',
  '&#60;script&#62;window.__xss=1&#60;/script&#62;',
  '<object data="javascript:window.__xss=1"></object>',
  '<input autofocus onfocus=window.__xss=1>',
  'data:text/html,<script>window.__xss=1</script>',
  'https://example.com/"><img src=x onerror=window.__xss=1>',
  '%3Cscript%3Ewindow.__xss=1%3C/script%3E',
  '\u202Egnp.exe\u202C right-to-left override',
  'zero\u200Dwidth\u200Cjoiners\u200Bhere\uFEFF',
  'W'.repeat(2000),
  '<img src=x onerror=alert(document.cookie)>',
  '<form action="javascript:window.__xss=1"><button>go</button></form>'
];

/** A context that records CSP violations, dialogs and console CSP errors from its first script on. */
async function watchedContext(context: BrowserContext): Promise<{ violations: string[] }> {
  const violations: string[] = [];
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  context.on('page', (page) => {
    page.on('dialog', (dialog) => {
      violations.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(`console: ${message.text()}`);
    });
  });
  return { violations };
}

async function signUpWatched(context: BrowserContext, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'New room' })).toBeVisible();
  return page;
}

/** Markup the page holds that no user text may create. */
async function foreignMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.querySelectorAll('main img, main iframe, main object, main embed, main script, main style, main input[autofocus], main details, main math, main form[action^="javascript"], main b, main marquee')) {
      found.push(el.outerHTML.slice(0, 80));
    }
    for (const a of document.querySelectorAll('a[href]')) if (!/^(https?:|\/)/.test(a.getAttribute('href') ?? '')) found.push(a.outerHTML.slice(0, 80));
    return found;
  });
}

test('an XSS corpus in messages, replies and room names renders as text; no script runs and the CSP is never violated', async ({ browser }) => {
  test.setTimeout(90_000);
  const anaContext = await browser.newContext();
  const boContext = await browser.newContext();
  const ana = await watchedContext(anaContext);
  const bo = await watchedContext(boContext);
  const boName = username('bo');
  const anaPage = await signUpWatched(anaContext, username('ana'));
  const boPage = await signUpWatched(boContext, boName);

  // Usernames cannot carry markup at all: refused at registration.
  const markupName = await anaContext.request.post('/api/auth/register', { data: { username: '<img src=x onerror=alert(1)>', password: PASSWORD } });
  expect(markupName.status()).toBe(400);

  // A room named with a payload, made through the form; Bo joins it.
  const roomName = '<img src=x onerror=window.__xss=1>';
  await anaPage.getByRole('button', { name: 'New room' }).click();
  await anaPage.getByLabel('Room name').fill(roomName);
  await anaPage.getByRole('button', { name: 'Create room' }).click();
  await expect(anaPage).toHaveURL(/\/rooms\/[\w-]+$/);
  await expect(anaPage.getByRole('heading', { name: roomName })).toBeVisible();
  await anaPage.getByLabel('Add member').fill(boName);
  await anaPage.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(anaPage.getByText(boName).first()).toBeVisible();
  await boPage.goto(anaPage.url());

  // Each payload as a message, and one that @mentions Bo with markup around it.
  const log = anaPage.getByRole('log');
  for (const payload of [...CORPUS, `@${boName}<img src=x onerror=window.__xss=1>`]) {
    await anaPage.getByLabel('Message').fill(payload);
    await anaPage.getByRole('button', { name: 'Send' }).click();
    // The newest message's text is exactly the payload, as text.
    await expect(log.locator('article p.text').last()).toHaveText(payload, { useInnerText: false });
  }
  // The mention became the one element it may become.
  await expect(log.locator('article p.text').last().locator('.mention')).toHaveText(`@${boName}`);
  // Bo got them over the sync server, rendered the same way.
  await expect(boPage.getByRole('log').locator('article p.text').last()).toHaveText(`@${boName}<img src=x onerror=window.__xss=1>`);

  // A reply quotes a payload as text (one still on screen: the list renders what is in view).
  const quoted = CORPUS.at(-2)!;
  const original = log.locator('article').filter({ has: anaPage.locator('p.text', { hasText: quoted }) }).first();
  await original.scrollIntoViewIfNeeded();
  await original.hover();
  await original.getByRole('button', { name: 'More actions' }).click();
  await original.getByRole('button', { name: 'Reply', exact: true }).click();
  await anaPage.getByLabel('Message').fill('a reply');
  await anaPage.getByRole('button', { name: 'Send' }).click();
  await expect(log.locator('article').last().locator('.quote-text')).toHaveText(quoted);
  await anaPage.getByLabel('Message').fill(CORPUS[1]!);
  await anaPage.getByRole('button', { name: 'Send' }).click();

  // The room list: the room's name and its last-message preview, literally.
  const roomNames = ['<script>window.__xss=1</script>', '"><svg onload=window.__xss=1>'];
  for (const name of roomNames) expect((await anaContext.request.post('/api/rooms', { data: { name, topic: '<b>topic</b>' } })).status()).toBe(201);
  await anaPage.goto('/');
  const list = anaPage.getByRole('list').filter({ has: anaPage.getByRole('link') }).first();
  for (const name of [roomName, ...roomNames]) await expect(list.getByText(name, { exact: true })).toBeVisible();
  await expect(list.getByText(`You: ${CORPUS[1]}`, { exact: true })).toBeVisible();

  for (const page of [anaPage, boPage]) {
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await foreignMarkup(page)).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  }
  expect([...ana.violations, ...bo.violations]).toEqual([]);
  await anaContext.close();
  await boContext.close();
});

test('settings: change password with the form; a wrong current password is announced; at 390 px', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const watched = await watchedContext(context);
  const name = username('pw');
  const page = await signUpWatched(context, name);
  // A second device, signed in as the same user.
  const other = await browser.newContext();
  expect((await other.request.post('/api/auth/login', { data: { username: name, password: PASSWORD } })).status()).toBe(200);

  await page.goto('/settings');
  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password', { exact: true }).fill('a much better password');
  await page.getByLabel('Repeat new password').fill('a much better password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert')).toHaveText('Your current password is not right');

  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Password changed' })).toBeVisible();
  // The form fits the phone: no sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  // This device stays signed in on its new session; the other one is signed out.
  expect((await context.request.get('/api/me')).status()).toBe(200);
  expect((await other.request.get('/api/me')).status()).toBe(401);
  // The new password is the one that works.
  expect((await other.request.post('/api/auth/login', { data: { username: name, password: 'a much better password' } })).status()).toBe(200);
  expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  expect(watched.violations).toEqual([]);
  await context.close();
  await other.close();
});
