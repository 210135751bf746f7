import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [
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
