// The package as a user gets it: `npm pack`, installed into an empty project, a consumer file
// type-checked against the installed types and run against the mock on this Node and on each
// supported one. Packing, installing and compiling give the same files on any Node, so they run
// once (part of the main suite, not of the per-Node client legs); only the run is per Node.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { NODE_MAJORS, nodeBinary } from '../../scripts/lib/node-binaries.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'cloudsoar-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CONSUMER = `import { createCloudSoarClient, orThrow, CloudSoarError, type components } from 'cloudsoar-v3';
import { unwrapFields } from 'cloudsoar-v3/helpers';
import { xml } from 'cloudsoar-v3/xml';

const soar = createCloudSoarClient({ baseUrl: process.env.MOCK_URL ?? '', token: 'consumer-token', rateLimit: false });
const incident: components['schemas']['Incident'] = await orThrow(soar.GET('/incidents/{id}/', { params: { path: { id: 8508 } } }));
const plain = unwrapFields(incident);
const inXml = createCloudSoarClient({ baseUrl: process.env.MOCK_URL ?? '', token: 'consumer-token', rateLimit: false });
inXml.use(xml);
const fromXml = await orThrow(inXml.GET('/folders/'));
try {
  await orThrow(soar.GET('/incidents/{id}/', { params: { path: { id: 8508 } }, headers: { Prefer: 'code=404' } }));
} catch (error) {
  if (!(error instanceof CloudSoarError)) throw error;
  console.log(JSON.stringify({ id: plain.id, label: plain.incidentid, folders: fromXml.map((folder) => folder.name), status: error.status }));
}
`;

const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const project = join(work, 'consumer');
const NODES = [['this Node', process.execPath], ...NODE_MAJORS.map((major) => [`Node ${major}`, nodeBinary(major)])];

// One step per test, each with the suite's hang guard: together they are ~10 CPU s, which a
// loaded machine can stretch past any single guard.
describe('the packed package', () => {
  it('packs and installs into a fresh project', () => {
    if (!existsSync(join(root, 'dist', 'src', 'index.js'))) throw new Error('dist/src is missing: `npm run build` (npm test runs it first).');
    // Without scripts: `prepare` patches this repository's Prism and installs tools/portability, neither of which is in the tarball.
    run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], root);
    const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    run('mkdir', ['-p', project], work);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(work, tarball!)], project);
  });

  it('type-checks and compiles a consumer against the installed types', () => {
    writeFileSync(join(project, 'consumer.ts'), CONSUMER);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', typeRoots: [join(root, 'node_modules', '@types')], types: ['node'], skipLibCheck: false },
        files: ['consumer.ts'],
      }),
    );
    // With this repository's TypeScript, against the installed package's types.
    run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
  });

  it.each(NODES)('runs the consumer against the mock on %s', (_name, node) => {
    if (!existsSync(node)) throw new Error(`${node} is missing: run \`npm ci\` (its prepare step installs tools/portability).`);
    const output = run(node, ['out/consumer.js'], project, { ...process.env, MOCK_URL: inject('mockUrl') });
    expect(JSON.parse(output)).toEqual({ id: 8508, label: 'INSIGHT-26022', folders: ['Incidents', 'CSE-Pending'], status: 404 });
  });
});
