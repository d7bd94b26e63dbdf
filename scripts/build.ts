// `npm run build`: the publishable package — ESM and .d.ts for src/ and generated/ under dist/.
// tsc does not copy .d.ts inputs, so the generated schema types are copied beside their users.
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from '../tools/kit/processes.js';
import { root } from '../tools/kit/repo.js';

await rm(join(root, 'dist', 'src'), { recursive: true, force: true });
await rm(join(root, 'dist', 'generated'), { recursive: true, force: true });
try {
  await runTool('tsc', ['-p', 'tsconfig.build.json']);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
await copyFile(join(root, 'generated', 'schema.d.ts'), join(root, 'dist', 'generated', 'schema.d.ts'));
console.log('built dist/src and dist/generated (ESM + .d.ts)');
