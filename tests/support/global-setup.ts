// Gives the run one Prism mock of generated/openapi.yaml: the one named by CLOUDSOAR_SHARED_MOCK_URL
// when the caller already runs it (`npm test` and `npm run portability` share one between their
// vitest runs: a start costs ~3 CPU s), else one of its own, always stopped.
import type { TestProject } from 'vitest/node';
import { startPrism } from '../../tools/kit/prism.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const shared = process.env.CLOUDSOAR_SHARED_MOCK_URL;
  if (shared) {
    project.provide('mockUrl', shared);
    return undefined;
  }
  const mock = await startPrism();
  project.provide('mockUrl', mock.url);
  const stopOnSignal = () => void mock.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  return async () => {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await mock.stop();
  };
}
