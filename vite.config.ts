import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  test: {
    include: ['src/**/*.spec.ts', 'sync-server/**/*.spec.ts', 'tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    // Integration suites share one Postgres database; run files one at a time so
    // they never race on schema set-up, and keep tests inside a file serial too.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
});
