import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/worker-lifeline.ts'],
    // Most files wait on processes they start (Prism, Chromium, npm, nested runs): one worker more
    // than the cores overlaps those waits (vitest's default is one fewer: a single worker on 2 cores).
    maxWorkers: availableParallelism() + 1,
    // Hang guards, not speed limits: a loaded CI machine is many times slower than an idle one.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
