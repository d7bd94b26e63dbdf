// The package as a user gets it: `npm pack`, installed into an empty project, a consumer file
// type-checked against the installed types and run against the mock.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, inject, it } from 'vitest';

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

it('packs, installs into a fresh project, type-checks a consumer and calls the mock', () => {
  const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
    execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (!existsSync(join(root, 'dist', 'src', 'index.js'))) throw new Error('dist/src is missing: `npm run build` (npm test runs it first).');
  run('npm', ['pack', '--silent', '--pack-destination', work], root);
  const tarball = readdirSync(work).find((file) => file.endsWith('.tgz'));
  expect(tarball).toBeDefined();

  const project = join(work, 'consumer');
  run('mkdir', ['-p', project], work);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(work, tarball!)], project);
  writeFileSync(join(project, 'consumer.ts'), CONSUMER);
  writeFileSync(join(project, 'typos.ts'), TYPOS);
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, outDir: 'out', typeRoots: [join(root, 'node_modules', '@types')], types: ['node'], skipLibCheck: false },
      files: ['consumer.ts', 'typos.ts'],
    }),
  );
  // Type-check and compile with this repository's TypeScript, against the installed package's types:
  // the typos, and nothing else, fail (tsc still emits the JavaScript).
  const typecheck = (() => {
    try {
      return { failed: false, output: run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project) };
    } catch (error) {
      return { failed: true, output: String((error as { stdout?: string }).stdout) };
    }
  })();
  expect(typecheck.failed).toBe(true);
  const errors = typecheck.output.split('\n').filter((line) => /error TS\d+/.test(line));
  expect(errors.map((line) => line.replace(/\(.*/, ''))).toEqual(['typos.ts', 'typos.ts']);
  expect(typecheck.output).toMatch(/closing_notes/);
  expect(typecheck.output).toMatch(/filtr/);
  const typos = run(process.execPath, ['out/typos.js'], project, { ...process.env, MOCK_URL: inject('mockUrl') });
  expect(JSON.parse(typos)).toEqual({ refused: ['body.closing_notes', 'body.filtr'], sent: 0 });
  const output = run(process.execPath, ['out/consumer.js'], project, { ...process.env, MOCK_URL: inject('mockUrl') });
  expect(JSON.parse(output)).toEqual({ id: 8508, label: 'INSIGHT-26022', folders: ['Incidents', 'CSE-Pending'], status: 404 });
}, 120_000);
