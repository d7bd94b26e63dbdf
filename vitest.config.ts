import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/worker-lifeline.ts'],
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
