// A suite that cannot fail is worthless: break copies of the bundled spec the way a wrong spec or a
// wrong server would be broken, and require the contract checks to report each break.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { type BundledSpec, loadBundledSpec, openBundledSpec } from '../../tools/kit/contract/bundled-spec.js';
import {
  type CheckContext,
  noCredentials,
  successConforms,
  xmlResponseConforms,
} from '../../tools/kit/contract/checks.js';
import { checkRecord } from '../../tools/kit/evidence-records.js';
import { type RunningPrism, startPrism } from '../../tools/kit/prism.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runNpm = (args: string[], options: Parameters<typeof execFile>[2]) => promisify(execFile)('npm', args, options);
const original = await loadBundledSpec();
const auth = { Authorization: 'Bearer mutation-test-token' };
const dir = mkdtempSync(join(tmpdir(), 'cloudsoar-mutants-'));
let brokenServer: RunningPrism;
let served: BundledSpec;

/** A deep copy of the bundled document, changed by `edit`. */
function mutant(edit: (document: any) => void): Promise<BundledSpec> {
  const document = structuredClone(original.document);
  edit(document);
  return openBundledSpec(document);
}

beforeAll(async () => {
  // Examples that break their own schemas, served by a second Prism: what a wrong server answers.
  served = await mutant((document) => {
    document.components.examples.Incident.value.id = 'INSIGHT-26022'; // wrong type
    delete document.components.examples.FolderList.value[0].name; // required field removed
    const folders = document.paths['/folders/'].get.responses['200'].content['application/xml'];
    folders.examples.FolderList.value = folders.examples.FolderList.value.replace('<name>Incidents</name>', '');
  });
  const file = join(dir, 'broken.yaml');
  writeFileSync(file, stringify(served.document, { aliasDuplicateObjects: false }));
  brokenServer = await startPrism({ spec: file });
});

afterAll(async () => {
  await brokenServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const context = (spec: BundledSpec, baseUrl: string): CheckContext => ({ spec, baseUrl, auth, allowWrites: true });

describe('the contract checks report', () => {
  it('an example that violates its schema (a wrong type)', async () => {
    const { problems } = await successConforms(
      context(served, brokenServer.url),
      served.operation('incidents_retrieve'),
    );
    expect(problems.join('\n')).toMatch(/incidents_retrieve 200 application\/json: body\/id must be integer/);
  });

  it('a required response field that is missing, in JSON and in XML', async () => {
    const { problems } = await successConforms(context(served, brokenServer.url), served.operation('folders_list'));
    expect(problems.join('\n')).toMatch(
      /folders_list 200 application\/json: body\/0 must have required property 'name'/,
    );
    const xml = await xmlResponseConforms(context(served, brokenServer.url), served.operation('folders_list'));
    expect(xml.problems.join('\n')).toMatch(/folders_list 200 application\/xml: .*name/);
  });

  it('a media type the spec does not document', async () => {
    const spec = await mutant((document) => {
      const content = document.paths['/folders/'].get.responses['200'].content;
      content['application/vnd.cloudsoar+json'] = content['application/json'];
      delete content['application/json'];
    });
    const { problems } = await successConforms(context(spec, inject('mockUrl')), spec.operation('folders_list'));
    expect(problems).toContain(
      'folders_list 200: Content-Type application/json is not documented (documented: application/xml, application/vnd.cloudsoar+json)',
    );
  });

  it('a dropped 401', async () => {
    const spec = await mutant((document) => {
      delete document.paths['/folders/'].get.responses['401'];
    });
    const { problems } = await noCredentials(context(spec, inject('mockUrl')), spec.operation('folders_list'));
    expect(problems).toContain('folders_list: status 401 is not documented');
  });

  it('and verify:proxy reports them in traffic from a server that answers the broken examples', async () => {
    const record = join(dir, 'proxy-record.json');
    // Asynchronously: blocking the event loop for longer than Prism's keep-alive timeout (5 s, easily
    // reached on a busy machine) leaves a socket in fetch's pool that Prism has closed, and the next
    // test's request on it fails with "other side closed".
    const result = await runNpm(['run', '--silent', 'verify:proxy', '--', '--record', record], {
      cwd: root,
      env: {
        ...process.env,
        CLOUDSOAR_BASE_URL: brokenServer.url,
        CLOUDSOAR_TOKEN: 'proxy-token',
        CLOUDSOAR_ALLOW_WRITES: '',
      },
      encoding: 'utf8',
      timeout: 150_000,
    }).then(
      ({ stdout }) => ({ status: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ status: error.code, stdout: error.stdout ?? '' }),
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/incidents_retrieve GET \/incidents\/8508\/ → 200: .*id/);
    expect(result.stdout).toMatch(/folders_list GET \/folders\/ → 200: .*name/);
    expect(result.stdout).toMatch(/[1-9]\d* violations?$/m);
    // The same anonymised record as the probe writes: what differed, never the host or the token.
    const written = readFileSync(record, 'utf8');
    expect(JSON.parse(written)).toMatchObject({ format: 'cloudsoar-v3-observation/1', tool: 'verify:proxy' });
    expect(JSON.parse(written).observations).toContainEqual(
      expect.objectContaining({
        operationId: 'incidents_retrieve',
        method: 'GET',
        path: '/incidents/{id}/',
        verdict: 'differs',
      }),
    );
    expect(JSON.parse(written).observations).toContainEqual(
      expect.objectContaining({ operationId: 'users_list', verdict: 'confirmed' }),
    );
    await checkRecord('proxy-record.json', JSON.parse(written));
    for (const secret of ['proxy-token', new URL(brokenServer.url).host, '127.0.0.1'])
      expect(written).not.toContain(secret);
  });

  it('and nothing on the unbroken spec (the control)', async () => {
    const results = await Promise.all([
      successConforms(context(original, inject('mockUrl')), original.operation('incidents_retrieve')),
      successConforms(context(original, inject('mockUrl')), original.operation('folders_list')),
      noCredentials(context(original, inject('mockUrl')), original.operation('folders_list')),
    ]);
    expect(results.flatMap((result) => result.problems)).toEqual([]);
  });
});
