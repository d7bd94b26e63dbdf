// Starts one Prism mock of generated/openapi.yaml for the whole run and always stops it.
import type { TestProject } from 'vitest/node';
import { startPrism } from '../../tools/kit/prism.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mockUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
