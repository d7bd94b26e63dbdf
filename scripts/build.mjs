#!/usr/bin/env node
// `npm run build`: the publishable package — ESM and .d.ts for src/ and generated/ under dist/.
// tsc does not copy .d.ts inputs, so the generated schema types are copied beside their users.
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { root } from './lib/tools.mjs';

await rm(join(root, 'dist', 'src'), { recursive: true, force: true });
await rm(join(root, 'dist', 'generated'), { recursive: true, force: true });
const tsc = join(createRequire(import.meta.url).resolve('typescript/package.json'), '..', 'bin', 'tsc');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
await copyFile(join(root, 'generated', 'schema.d.ts'), join(root, 'dist', 'generated', 'schema.d.ts'));
console.log('built dist/src and dist/generated (ESM + .d.ts)');
