// `npm start`: serves the built docs and the Prism mock of the bundled spec on loopback, prints how
// to use them, and stops both on Ctrl-C. Ports: DOCS_PORT (default 8080) and MOCK_PORT (default
// 4010) when free, otherwise any free port.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { startPrism } from '../tools/kit/prism.js';
import { BUNDLED_SPEC, root } from '../tools/kit/repo.js';
import { serveStatic } from '../tools/kit/static-server.js';

const docsDir = join(root, 'dist', 'docs');
try {
  await access(join(docsDir, 'index.html'));
  await access(BUNDLED_SPEC);
} catch {
  console.error(
    'dist/docs/index.html or generated/openapi.yaml is missing: run `npm start` (it generates and builds first).',
  );
  process.exit(1);
}

const mock = await startPrism({ port: Number(process.env.MOCK_PORT ?? 4010) });
const docs = await serveStatic(docsDir, { port: Number(process.env.DOCS_PORT ?? 8080) });

console.log(`
Cloud SOAR v3 — local playground

  Docs (Redoc, offline):  ${docs.url}/
  Mock API (Prism):       ${mock.url}/   (any "Bearer <anything>" token is accepted)

Try the mock:

  curl -s -H "Authorization: Bearer demo-token" -H "Accept: application/json" ${mock.url}/incidents/8508/

Point the client at it:

  createCloudSoarClient({ baseUrl: '${mock.url}', token: 'demo-token' })

Press Ctrl-C to stop both.
`);

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([mock.stop(), docs.stop()]);
  console.log('stopped docs and mock.');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
