import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import type { Plugin } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

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

/**
 * Specs beside the code that open a database (tests/helpers/database.ts), or that time the
 * event loop while a thread works (merge-thread): they run with the integration suites, one
 * file at a time, not among the unit specs that share the cores.
 */
const DATABASE_SPECS = [
  'src/lib/server/auth/session.spec.ts',
  'src/lib/server/db/migrate.spec.ts',
  'sync-server/storage/update-store.spec.ts',
  'sync-server/storage/merge-thread.spec.ts'
];

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
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.spec.ts', 'sync-server/**/*.spec.ts'],
          exclude: [...configDefaults.exclude, ...DATABASE_SPECS],
          // Pure specs, no shared state: one file per core (Vitest's default leaves one idle).
          maxWorkers: '100%'
        }
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', ...DATABASE_SPECS],
          // These share one Postgres database when DATABASE_URL is set (as in CI): one file
          // at a time, after the unit specs, so none races another on schema set-up or load.
          fileParallelism: false,
          sequence: { groupOrder: 1 }
        }
      }
    ]
  }
});
