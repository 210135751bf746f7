import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** `vite dev` gets the database, the runtime and /sync too (see sync-server/dev.ts). */
function porchDevRuntime(): Plugin {
  return {
    name: 'porch-dev-runtime',
    apply: 'serve',
    async configureServer(server) {
      if (process.env.VITEST) return;
      const dev = (await server.ssrLoadModule('/sync-server/dev.ts')) as typeof import('./sync-server/dev');
      await dev.attachToViteDevServer(server.httpServer, server.middlewares);
    }
  };
}

export default defineConfig({
  plugins: [
    porchDevRuntime(),
    sveltekit(),
    SvelteKitPWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'service-worker.ts',
      injectRegister: false,
      manifest: {
        id: '/',
        name: 'Porch',
        short_name: 'Porch',
        description: 'Chat that works on the train: local-first rooms that sync when they can.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#b44d28',
        background_color: '#f6f4ef',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
        ]
      },
      injectManifest: {
        globPatterns: ['client/**/*.{js,css,ico,png,svg,webp,webmanifest}', 'prerendered/**/*.{html,json}']
      }
    })
  ],
  test: {
    include: ['src/**/*.spec.ts', 'sync-server/**/*.spec.ts', 'tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    // Integration suites share one Postgres database; run files one at a time so
    // they never race on schema set-up, and keep tests inside a file serial too.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
});
