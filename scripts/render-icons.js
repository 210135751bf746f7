// Renders static/icons/porch.svg to the PNG sizes the web app manifest needs, in Chromium.
// Run by hand after changing the SVG: node scripts/render-icons.js
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';

const svg = readFileSync('static/icons/porch.svg', 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
/** @type {{ file: string, size: number, maskable: boolean }[]} */
const targets = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-512.png', size: 512, maskable: true },
  { file: 'apple-touch-icon-180.png', size: 180, maskable: true },
  { file: 'badge-96.png', size: 96, maskable: false }
];
for (const { file, size, maskable } of targets) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  // Maskable: full-bleed colour, artwork inside the 80 % safe circle.
  const body = maskable
    ? `<div style="width:${size}px;height:${size}px;background:#b44d28;display:grid;place-items:center"><div style="width:${size * 0.8}px;height:${size * 0.8}px">${svg.replace('rx="112"', 'rx="0"')}</div></div>`
    : svg;
  await page.setContent(`<html><body style="margin:0;background:transparent">${body}</body></html><style>svg{width:100%;height:100%;display:block}</style>`);
  await page.screenshot({ path: `static/icons/${file}`, omitBackground: !maskable });
  await page.close();
}
await browser.close();
