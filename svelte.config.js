import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build/app' }),
    // Registered by workbox-window (src/lib/pwa), which also tells the user about updates.
    serviceWorker: { register: false },
    // Absolute asset URLs: the one prerendered shell is served for every path (/rooms/…).
    paths: { relative: false },
    typescript: {
      // The sync server and the tooling are type-checked with the app.
      config: (tsconfig) => {
        tsconfig.include.push('../sync-server/**/*.ts', '../playwright.config.ts', '../playwright.screenshots.config.ts', '../scripts/**/*.js', '../tests/**/*.ts');
      }
    }
  }
};

export default config;
