// npm run reconcile against a synthetic drf-spectacular reference (PatchedX request schemas, a
// Paginated… wrapper, {incident_id} for {id}, paths without their trailing slash, OpenAPI 3.0.3)
// with planted differences: it reports exactly those; its patch, applied to a copy of spec/,
// makes the fixable ones disappear; bad references give one clear line.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';
import { checkRecord } from '../../tools/kit/evidence-records.js';
import { loadOurs, loadReference, proposePatch, reconcile } from '../../tools/kit/probe/reconcile.js';
import { OPERATION_METHODS } from '../../tools/kit/spec.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { document: ours, openapi } = await loadBundledSpec();
const dir = mkdtempSync(join(tmpdir(), 'cloudsoar-reconcile-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = promisify(execFile);

/** A drf-spectacular-style reference of our operations, with the differences below planted. */
function syntheticReference() {
  const schemas: Record<string, any> = structuredClone(ours.components.schemas);
  const paths: Record<string, any> = {};
  for (const { path, method, item, operation } of openapi.operations()) {
    if (path === '/groups/' || !OPERATION_METHODS.includes(method)) continue; // planted: /groups/ only ours
    const theirPath = path
      .replace(/^\/incidents\/\{id\}/, '/incidents/{incident_id}')
      .replace(/^(\/triage\/.*)\/$/, '$1');
    paths[theirPath] ??= {};
    const parameters = openapi.parameters(item, operation).map((resolved) => {
      return {
        ...resolved,
        name:
          resolved.in === 'path' && resolved.name === 'id' && theirPath.startsWith('/incidents/')
            ? 'incident_id'
            : resolved.name,
      };
    });
    const theirOperation: Record<string, any> = { operationId: operation.operationId, parameters, responses: {} };
    const json =
      operation.requestBody?.content?.['application/json'] ?? operation.requestBody?.content?.['multipart/form-data'];
    if (json) {
      let schema = json.schema;
      if (method === 'patch' && schema.$ref) {
        const name = `Patched${schema.$ref.slice('#/components/schemas/'.length)}`;
        schemas[name] = structuredClone(openapi.deref(schema));
        schema = { $ref: `#/components/schemas/${name}` };
      }
      theirOperation.requestBody = { content: { 'application/json': { schema } } };
    }
    for (const [status, resolved] of Object.entries(openapi.responses(operation))) {
      if (!status.startsWith('2')) continue;
      const schema = resolved.content?.['application/json']?.schema;
      theirOperation.responses[status] = {
        description: '',
        ...(schema ? { content: { 'application/json': { schema } } } : {}),
      };
    }
    paths[theirPath][method] = theirOperation;
  }
  // Planted differences.
  paths['/incidents/{incident_id}/runbook/'].post.operationId = 'incidents_runbooks_create';
  const noteCreate = schemas.NoteCreate;
  delete noteCreate.properties.created_by;
  noteCreate.properties.author = { type: 'integer' };
  schemas.PatchedTriageEventUpdate.properties.priority = { type: 'integer' };
  const created = paths['/incidents/'].post.responses;
  created['201'] = created['200'];
  delete created['200'];
  schemas.Folder.properties.parent_id = { type: 'integer', nullable: true };
  paths['/incidents/{incident_id}/history/'] = {
    get: {
      operationId: 'incidents_history_list',
      parameters: [{ name: 'incident_id', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: { '200': { description: '' } },
    },
  };
  schemas.PaginatedNoteListList = {
    type: 'object',
    properties: {
      count: { type: 'integer' },
      next: { type: 'string' },
      previous: { type: 'string' },
      results: schemas.NoteList,
    },
  };
  paths['/incidents/{incident_id}/notes/'].get.responses['200'].content['application/json'].schema = {
    $ref: '#/components/schemas/PaginatedNoteListList',
  };
  paths['/incidents/'].get.parameters.push({ name: 'ordering', in: 'query', schema: { type: 'string' } });
  return { openapi: '3.0.3', info: { title: 'Cloud SOAR API', version: '3.0.0' }, paths, components: { schemas } };
}

const LEFT = {
  incidents_list: ['differs', ['query ordering: theirs, not ours']],
  incidents_notes_list: [
    'differs',
    ['response 200: theirs is a Paginated… page (count, next, previous, results), ours is not'],
  ],
  groups_list: ['only-ours', []],
  'GET /incidents/{incident_id}/history/': ['only-theirs', []],
};
const FIXABLE = {
  incidents_create: ['differs', ['response 201: theirs, not ours', 'response 200: ours, not theirs']],
  incidents_notes_create: ['differs', ['field author: theirs, not ours', 'field created_by: ours, not theirs']],
  incidents_runbook_create: [
    'differs',
    ['operationId: incidents_runbooks_create theirs, incidents_runbook_create ours'],
  ],
  triage_partial_update: ['differs', ['field priority: theirs, not ours']],
  folders_list: ['differs', ['response field parent_id: theirs, not ours']],
};

function notConfirmed(report: any) {
  return Object.fromEntries(
    report.operations
      .filter((entry: any) => entry.verdict !== 'confirmed')
      .map((entry: any) => [entry.operationId ?? `${entry.method} ${entry.path}`, [entry.verdict, entry.differences]]),
  );
}

describe('npm run reconcile', () => {
  it('reports exactly the planted differences; its patch applied to a copy of spec/ leaves only the unfixable ones', async () => {
    const reference = join(dir, 'schema.json');
    writeFileSync(reference, JSON.stringify(syntheticReference()));
    const report = await reconcile(ours, await loadReference(reference));
    expect(notConfirmed(report)).toEqual({ ...LEFT, ...FIXABLE });
    expect(report.operations.find((entry) => entry.operationId === 'incidents_runbook_create')!.theirs).toBe(
      'incidents_runbooks_create',
    );

    const { patch, leftOver } = await proposePatch(report);
    expect(leftOver).toEqual([
      'GET /incidents/{incident_id}/history/ (incidents_history_list): only in their reference; describe it by hand with its evidence',
    ]);
    const copy = join(dir, 'repo');
    cpSync(join(root, 'spec'), join(copy, 'spec'), { recursive: true });
    writeFileSync(join(dir, 'change.patch'), patch);
    await run('git', ['apply', join(dir, 'change.patch')], { cwd: copy });
    expect(readFileSync(join(copy, 'spec/paths/runbooks/incidents_{id}_runbook.yaml'), 'utf8')).toContain(
      'operationId: incidents_runbooks_create',
    );
    // The command prints the same report as JSON, with "theirs", and writes the patch and a record.
    const cli = await run(
      'npm',
      [
        'run',
        '--silent',
        'reconcile',
        '--',
        reference,
        '--json',
        '--patch',
        join(dir, 'cli.patch'),
        '--record',
        join(dir, 'record.json'),
      ],
      { cwd: root },
    ).catch((error) => error);
    expect(cli.code).toBe(1);
    const printed = JSON.parse(cli.stdout);
    expect(printed.summary).toEqual(report.summary);
    expect(printed.operations.find((entry: any) => entry.operationId === 'incidents_runbook_create')).toEqual({
      operationId: 'incidents_runbook_create',
      method: 'POST',
      path: '/incidents/{id}/runbook/',
      theirs: 'incidents_runbooks_create',
      verdict: 'differs',
      differences: FIXABLE.incidents_runbook_create[1],
    });
    expect(readFileSync(join(dir, 'cli.patch'), 'utf8')).toBe(patch);
    expect(cli.stderr).toMatch(
      /^wrote .*cli\.patch: git apply it, then npm run generate; left for a maintainer:\n {2}GET \/incidents\/\{incident_id\}\/history\//,
    );
    // …and which bump applying it implies: a renamed operationId and a renamed success code break clients.
    expect(cli.stderr).toMatch(/\napplying it implies a (minor|major) release \(\S+ → \S+\): 2 breaking changes\n/);
    expect(cli.stderr).toMatch(
      /BREAKING {2}POST \/incidents\/\{id\}\/runbook\/ \(incidents_runbooks_create\): `operationId` .* changed/,
    );
    expect(cli.stderr).toMatch(/BREAKING {2}POST \/incidents\/ \(incidents_create\): Response `200` became `201`/);
    expect(cli.stderr).toMatch(/added {5}GET \/folders\/ \(folders_list\): response property `parent_id` added/);
    await checkRecord('record.json', JSON.parse(readFileSync(join(dir, 'record.json'), 'utf8')));

    const again = await reconcile(await loadOurs(join(copy, 'spec/openapi.yaml')), await loadReference(reference));
    expect(notConfirmed(again)).toEqual(LEFT);
  });

  it('reads a Swagger 2.0 reference', async () => {
    const file = join(dir, 'swagger.yaml');
    const body = {
      type: 'object',
      required: ['title'],
      properties: {
        title: { type: 'string' },
        additional_info: { type: 'string' },
        created_on: { type: 'string' },
        created_by: { type: 'string' },
      },
    };
    writeFileSync(
      file,
      stringify({
        swagger: '2.0',
        info: { title: 'x', version: '1' },
        consumes: ['application/json'],
        paths: {
          '/incidents/{incident_id}/notes': {
            post: {
              operationId: 'incidents_notes_create',
              parameters: [{ name: 'data', in: 'body', schema: body }],
              responses: {
                '200': {
                  description: '',
                  schema: {
                    type: 'object',
                    properties: { ...ours.components.schemas.Note.properties, note: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      }),
    );
    const report = await reconcile(ours, await loadReference(file));
    const notes = report.operations.find((entry) => entry.operationId === 'incidents_notes_create')!;
    expect([notes.verdict, notes.differences]).toEqual(['differs', ['response field note: theirs, not ours']]);
    expect(report.summary['only-ours']).toBe(
      Object.values(ours.paths).flatMap((item: any) =>
        Object.keys(item).filter((key) => (OPERATION_METHODS as string[]).includes(key)),
      ).length - 1,
    );
  });

  it('refuses bad references in one clear line', async () => {
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const cases: [string, RegExp][] = [
      [
        write('page.html', '<!doctype html><html><body>Login</body></html>'),
        /: not an OpenAPI document \(the top level is not an object\)$/,
      ],
      [write('other.json', '{"asyncapi": "2.6.0", "paths": {}}'), /: not OpenAPI 3\.0\/3\.1 or Swagger 2\.0/],
      [
        write('nopaths.yaml', 'openapi: 3.0.3\ninfo: {title: x, version: "1"}\npaths: {}\n'),
        /: has no paths to compare$/,
      ],
      [write('broken.yaml', 'openapi: 3.0.3\npaths: [unclosed\n'), /: neither JSON nor YAML \(/],
    ];
    const big = join(dir, 'big.json');
    writeFileSync(big, '');
    truncateSync(big, 50 * 1024 * 1024); // 50 MB, sparse
    cases.push([big, /: 50\.0 MB is more than the 25 MB a tenant's reference could be/]);
    for (const [file, error] of cases) await expect(loadReference(file)).rejects.toThrow(error);
  });

  it('survives $ref cycles: a report for cycles through properties, one line for a ref that points at itself, no stack trace', async () => {
    const cyclic = join(dir, 'cyclic.yaml');
    writeFileSync(
      cyclic,
      stringify({
        openapi: '3.1.0',
        info: { title: 'x', version: '1' },
        paths: {
          '/folders/': {
            get: {
              operationId: 'folders_list',
              responses: {
                '200': {
                  description: '',
                  content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } },
                },
              },
            },
          },
        },
        components: {
          schemas: {
            Node: {
              type: 'object',
              properties: {
                ...ours.components.schemas.Folder.properties,
                parent: { $ref: '#/components/schemas/Node' },
                children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
              },
            },
          },
        },
      }),
    );
    const report = await reconcile(ours, await loadReference(cyclic));
    expect(report.operations.find((entry) => entry.operationId === 'folders_list')).toMatchObject({
      verdict: 'differs',
      differences: ['response field parent: theirs, not ours', 'response field children: theirs, not ours'],
    });

    const loop = join(dir, 'loop.yaml');
    writeFileSync(
      loop,
      stringify({
        openapi: '3.0.3',
        info: { title: 'x', version: '1' },
        paths: {
          '/folders/': {
            post: {
              operationId: 'folders_create',
              requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } },
              responses: { '201': { description: '' } },
            },
          },
        },
        components: { schemas: { A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A' } } },
      }),
    );
    const cli = await run('npm', ['run', '--silent', 'reconcile', '--', loop], { cwd: root }).catch((error) => error);
    expect(cli.code).toBe(2);
    expect(cli.stdout).toBe('');
    expect(cli.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^reference: reference cycle at #\/components\/schemas\/[AB]$/),
    ]);
  });
});
