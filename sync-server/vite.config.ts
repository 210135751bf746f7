import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import pkg from '../package.json' with { type: 'json' };

// Bundles the process entry (sync server + the shared src/lib code it imports) into
// build/server.js; packages stay external and load from node_modules.
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies)
];

export default defineConfig({
  build: {
    ssr: 'sync-server/main.ts',
    outDir: 'build',
    emptyOutDir: false,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      external: (id) => external.some((e) => id === e || id.startsWith(e + '/')),
      output: { entryFileNames: 'server.js', format: 'es' }
    }
  }
});
