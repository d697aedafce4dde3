import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Slow end-to-end checks (npm pack + install) run apart: `npm run test:slow`, called by .ci/run.
    exclude: process.env.LAMBDA2SFN_SLOW ? [] : ['test/**/*.slow.test.ts', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
  },
});
