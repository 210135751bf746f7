import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build/app' }),
    typescript: {
      // The sync server and the tooling are type-checked with the app.
      config: (tsconfig) => {
        tsconfig.include.push('../sync-server/**/*.ts', '../playwright.config.ts', '../scripts/**/*.js', '../tests/**/*.ts');
      }
    }
  }
};

export default config;
