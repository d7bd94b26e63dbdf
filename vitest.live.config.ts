import { defineConfig } from 'vitest/config';

// `npm run test:live`: the live suite only, against CLOUDSOAR_BASE_URL; no mock is started.
export default defineConfig({
  test: {
    include: ['tests/live/live.test.ts'],
    testTimeout: 30_000,
  },
});
