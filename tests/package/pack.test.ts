// The package as a user gets it: packed by `packTarball` (`npm run package`), installed into an
// empty project, an ESM and a CommonJS consumer type-checked against the installed types, then run
// against the mock on this Node and on each supported one. Packing, installing and compiling give
// the same files on any Node, so they run once (part of the main suite, not of the per-Node client
// legs); only the run is per Node.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { NODE_MAJORS, nodeBinary } from '../../tools/kit/node-binaries.js';
import { packTarball } from '../../tools/kit/pack.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'cloudsoar-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CONSUMER = `import { createCloudSoarClient, orThrow, CloudSoarError, type components } from 'cloudsoar-v3';
import { unwrapFields } from 'cloudsoar-v3/helpers';
import { xml } from 'cloudsoar-v3/xml';
import { createRedisLimitStore } from 'cloudsoar-v3/redis';

// The Redis entry resolves and type-checks without ioredis installed (it takes a client, imports none).
const unusedRedis = { evalsha: async () => 0, eval: async () => 0 };
createCloudSoarClient({ baseUrl: 'https://soar.example.com', token: 'consumer-token', rateLimit: { store: createRedisLimitStore({ redis: unusedRedis }) } });
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

// CommonJS, as `tsc` compiles it under `module: nodenext` (TypeScript 5.8+ types require() of an ES module).
const COMMONJS_CONSUMER = `import soar = require('cloudsoar-v3');
import helpers = require('cloudsoar-v3/helpers');
import xmlEntry = require('cloudsoar-v3/xml');
const client: soar.CloudSoarClient = soar.createCloudSoarClient({ baseUrl: 'http://127.0.0.1:9', token: 'consumer-token' });
console.log(JSON.stringify([typeof client.GET, typeof helpers.paginate, typeof xmlEntry.xml.onRequest]));
`;

// The typos, as a consumer writes them: they must fail \`tsc --strict\`, and the JavaScript
// tsc still emits must get a named CloudSoarArgumentError for each, with nothing sent.
const TYPOS = `import { CloudSoarArgumentError, createCloudSoarClient } from 'cloudsoar-v3';

let sent = 0;
const counting: typeof fetch = (input, init) => (sent++, fetch(input, init));
const soar = createCloudSoarClient({ baseUrl: process.env.MOCK_URL ?? '', token: 'consumer-token', rateLimit: false, fetch: counting });
const calls = [
  () => soar.POST('/incidents/{id}/close/', { params: { path: { id: 8508 } }, body: { closing_notes: 'typo' } }),
  () => soar.POST('/incidents/search/', { body: { filtr: 'Status: Open' } }),
];
const refused: string[] = [];
for (const call of calls) {
  try {
    await call();
  } catch (error) {
    if (error instanceof CloudSoarArgumentError) refused.push(error.argument);
  }
}
console.log(JSON.stringify({ refused, sent }));
`;

const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const project = join(work, 'consumer');
let tarball = '';
const NODES = [['this Node', process.execPath], ...NODE_MAJORS.map((major) => [`Node ${major}`, nodeBinary(major)])];

// One step per test, each with the suite's hang guard: together they are ~10 CPU s, which a
// loaded machine can stretch past any single guard.
describe('the packed package', () => {
  it('packs and installs into a fresh project', async () => {
    if (!existsSync(join(root, 'dist', 'src', 'index.js')))
      throw new Error('dist/src is missing: `npm run build` (npm test runs it first).');
    tarball = await packTarball(work);
    run('mkdir', ['-p', project], work);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball], project);
  });

  it('type-checks an ESM and a CommonJS consumer against the installed types, and refuses the typos', () => {
    writeFileSync(join(project, 'consumer.ts'), CONSUMER);
    writeFileSync(join(project, 'commonjs-consumer.cts'), COMMONJS_CONSUMER);
    writeFileSync(join(project, 'typos.ts'), TYPOS);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          outDir: 'out',
          typeRoots: [join(root, 'node_modules', '@types')],
          types: ['node'],
          skipLibCheck: false,
        },
        files: ['consumer.ts', 'commonjs-consumer.cts', 'typos.ts'],
      }),
    );
    // With this repository's TypeScript, against the installed package's types: the typos, and
    // nothing else, fail (tsc still emits the JavaScript).
    const typecheck = (() => {
      try {
        return {
          failed: false,
          output: run(
            process.execPath,
            [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
            project,
          ),
        };
      } catch (error) {
        return { failed: true, output: String((error as { stdout?: string }).stdout) };
      }
    })();
    expect(typecheck.failed).toBe(true);
    const errors = typecheck.output.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors.map((line) => line.replace(/\(.*/, ''))).toEqual(['typos.ts', 'typos.ts']);
    expect(typecheck.output).toMatch(/closing_notes/);
    expect(typecheck.output).toMatch(/filtr/);
  });

  it.each(NODES)('runs the consumer against the mock on %s', (_name, node) => {
    if (!existsSync(node))
      throw new Error(`${node} is missing: run \`npm ci\` (its prepare step installs tools/portability).`);
    const output = run(node, ['out/consumer.js'], project, { ...process.env, MOCK_URL: inject('mockUrl') });
    expect(JSON.parse(output)).toEqual({
      id: 8508,
      label: 'INSIGHT-26022',
      folders: ['Incidents', 'CSE-Pending'],
      status: 404,
    });
    expect(JSON.parse(run(node, ['out/commonjs-consumer.cjs'], project))).toEqual(['function', 'function', 'function']);
    const typos = run(node, ['out/typos.js'], project, { ...process.env, MOCK_URL: inject('mockUrl') });
    expect(JSON.parse(typos)).toEqual({ refused: ['body.closing_notes', 'body.filtr'], sent: 0 });
  });
});
