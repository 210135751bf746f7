import { defineConfig } from '@playwright/test';
import base from './playwright.config';

/** `npm run screenshots`: the e2e setup, pointed at tests/screenshots. */
export default defineConfig({ ...base, testDir: 'tests/screenshots', reporter: [['list']] });
