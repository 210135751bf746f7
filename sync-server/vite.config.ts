import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from '../package.json' with { type: 'json' };

// Bundles the process entry (sync server + the shared src/lib code it imports) into
// build/server.js, and the compaction thread into build/merge-worker.js; packages stay
// external and load from node_modules.
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies)
];

export default defineConfig({
  build: {
    ssr: true,
    outDir: 'build',
    emptyOutDir: false,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      external: (id) => external.some((e) => id === e || id.startsWith(e + '/')),
      // The compaction thread (storage/merge-thread.ts) is an entry of its own.
      input: { server: 'sync-server/main.ts', 'merge-worker': 'sync-server/storage/merge-worker.ts' },
      output: { entryFileNames: '[name].js', chunkFileNames: 'sync-[name]-[hash].js', format: 'es' }
    }
  }
});
