#!/usr/bin/env node
// Builds dist/docs/index.html from the bundled description: one file with Redoc inlined, so the
// page renders with no network (Redocly's default loads Redoc from a CDN).
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { root, runTool } from './lib/tools.mjs';

const output = join(root, 'dist', 'docs', 'index.html');
await mkdir(join(root, 'dist', 'docs'), { recursive: true });
try {
  await runTool('redocly', [
    'build-docs',
    'generated/openapi.yaml',
    '--config',
    'redocly.yaml',
    '--inlineBundle',
    '--output',
    output,
    '--title',
    'Cloud SOAR REST API v3 — evidence-graded reference',
    '--templateOptions.metaDescription',
    'Public, evidence-graded OpenAPI description of the Sumo Logic Cloud SOAR REST API v3',
  ]);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const { size } = await stat(output);
console.log(`wrote dist/docs/index.html (${(size / 1024).toFixed(0)} KiB, renders offline)`);
