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
    // No inline script or style runs unless SvelteKit hashed it (the prerendered shell has
    // no per-request nonce; 'auto' uses hashes there and nonces for pages rendered on
    // request). Styles have no 'unsafe-inline' either: Svelte sets style: directives through
    // the CSSOM, which CSP allows, and the markup carries no style attributes.
    // frame-ancestors is dropped from the shell's <meta>; the server sends it as a header
    // (sync-server/security-headers.ts). 'self' covers same-origin ws:/wss: for /sync.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        'manifest-src': ['self'],
        'worker-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none']
      }
    },
    typescript: {
      // The sync server and the tooling are type-checked with the app.
      config: (tsconfig) => {
        tsconfig.include.push('../sync-server/**/*.ts', '../playwright.config.ts', '../playwright.screenshots.config.ts', '../scripts/**/*.js', '../tests/**/*.ts');
      }
    }
  }
};

export default config;
