import { resolve as resolvePath } from 'node:path';
import { build, type Plugin } from 'esbuild';
import type { Browser, BrowserContext, Page } from '@playwright/test';

/** `$lib/…` as SvelteKit resolves it, for esbuild. */
const lib: Plugin = {
  name: 'sveltekit-lib',
  setup(b) {
    b.onResolve({ filter: /^\$lib\// }, (args) => b.resolve(`./${args.path.slice('$lib/'.length)}`, { resolveDir: resolvePath('src/lib'), kind: args.kind }));
  }
};

/**
 * A page of its own for a client benchmark: `entry` bundled with esbuild and served, with an
 * empty HTML page that loads it, at `origin` (its own IndexedDB), in a new browser context.
 */
export async function bundledPage(browser: Browser, entry: string, origin: string, title: string): Promise<{ context: BrowserContext; page: Page }> {
  const out = await build({ entryPoints: [entry], bundle: true, format: 'iife', write: false, minify: true, target: 'es2022', plugins: [lib] });
  const script = out.outputFiles[0]!.text;
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('pageerror', e));
  await page.route(`${origin}/**`, (route) =>
    route.request().url().endsWith('/bench.js')
      ? route.fulfill({ contentType: 'text/javascript', body: script })
      : route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>${title}</title><script src="/bench.js"></script>` })
  );
  return { context, page };
}
