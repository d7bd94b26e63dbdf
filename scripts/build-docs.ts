// Builds dist/docs/index.html from the bundled description: one file with Redoc inlined, so the
// page renders with no network (Redocly's default loads Redoc from a CDN).
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runTool } from '../tools/kit/processes.js';
import { root } from '../tools/kit/repo.js';

const output = join(root, 'dist', 'docs', 'index.html');
await mkdir(join(root, 'dist', 'docs'), { recursive: true });
try {
  await runTool('redocly', [
    'build-docs',
    'generated/openapi.yaml',
    '--config',
    'redocly.yaml',
    '--inlineBundle',
    '--template',
    'scripts/redoc-template.hbs',
    '--output',
    output,
    '--title',
    'Cloud SOAR REST API v3 — evidence-graded reference',
    '--templateOptions.metaDescription',
    'Public, evidence-graded OpenAPI description of the Sumo Logic Cloud SOAR REST API v3',
  ]);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
// Redoc's "API docs by Redocly" badge loads its logo from a CDN, which an offline page cannot reach
// and which would send a request off this machine. Serve the same place an inline logo instead.
const LOGO =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="16"><text x="0" y="12" font-size="11" font-family="sans-serif" fill="%23555">Redoc</text></svg>',
  );
let html = await readFile(output, 'utf8');
const cdnLogos = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
if (!cdnLogos.test(html)) {
  console.error(
    'build-docs: Redoc no longer references its CDN logo; re-check that the page loads nothing from the network.',
  );
  process.exit(1);
}
html = html.replace(cdnLogos, LOGO);
await writeFile(output, html);
const { size } = await stat(output);
console.log(`wrote dist/docs/index.html (${(size / 1024).toFixed(0)} KiB, renders offline)`);
