import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Files that spend tens of seconds waiting on processes they start (nested runs, Prism, Chromium,
// npm, worker pools), longest first. vitest orders files by their last durations, but a fresh clone
// (CI) has none and it falls back to file size, which put these small files last: the run then
// ended on one of them with a core idle (96 s against 88 s once durations were known).
const LONG_WAITS = [
  'tests/process/cleanup.test.ts',
  'tests/contract/mutations.test.ts',
  'tests/docs/browser.test.ts',
  'tests/package/pack.test.ts',
  'tests/probe/reconcile.test.ts',
  'tests/live/modes.test.ts',
  'tests/limits/shared-limits.test.ts',
  'tests/probe/probe.test.ts',
  'tests/contract/matrix.test.ts',
  'tests/docs/start.test.ts',
];

class LongWaitsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const index = LONG_WAITS.findIndex((name) => file.moduleId.endsWith(name));
      return index < 0 ? LONG_WAITS.length : index;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b)); // stable: the rest keep vitest's order
  }
}

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/worker-lifeline.ts'],
    // Most files wait on processes they start (Prism, Chromium, npm, nested runs): one worker more
    // than the cores overlaps those waits (vitest's default is one fewer: a single worker on 2 cores).
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: LongWaitsFirst },
    // Hang guards, not speed limits: a loaded CI machine is many times slower than an idle one.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
