// npm run probe against a fake DRF tenant built from a mutated copy of the spec: it finds exactly the
// planted differences, sends nothing but OPTIONS, stays under the rate limit, and its output and
// record name no secret, host or id value.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { LimiterClock } from '../../src/limits.js';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';
import { checkRecord } from '../../tools/kit/evidence-records.js';
import { probe } from '../../tools/kit/probe/probe.js';
import { type FakeTenant, startFakeTenant } from './fake-tenant.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ours = (await loadBundledSpec()).document;
const TOKEN = 'probe-s3cret-token-0xC0FFEE';
const authorization = `Bearer ${TOKEN}`;
const dir = mkdtempSync(join(tmpdir(), 'cloudsoar-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The tenant's own idea of the API: our spec with planted differences. */
function mutatedCopy() {
  const theirs = structuredClone(ours);
  delete theirs.paths['/folders/']; // missing path: 404
  delete theirs.paths['/incidents/{id}/'].delete; // method not allowed
  theirs.paths['/incidents/{id}/notes/'].delete = { operationId: 'incidents_notes_destroy', responses: {} }; // extra method
  const notes = theirs.paths['/incidents/{id}/notes/'].post;
  notes.requestBody = {
    content: {
      ...Object.fromEntries(
        ['application/json', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data'].map(
          (type) => [
            type,
            {
              schema: {
                type: 'object',
                required: ['subject'],
                properties: {
                  subject: { type: 'string' },
                  additional_info: { type: 'string' },
                  created_on: { type: 'string' },
                  created_by: { type: 'string' },
                  pinned: { type: 'boolean' },
                },
              },
            },
          ],
        ),
      ),
    },
  }; // title renamed to subject, pinned added
  const tasks = theirs.paths['/incidents/{id}/tasks/'].post;
  const taskSchema = structuredClone(theirs.components.schemas.TaskCreate);
  taskSchema.properties.hours = { type: 'string' };
  taskSchema.required = ['title', 'hours'];
  tasks.requestBody = {
    content: Object.fromEntries(Object.keys(tasks.requestBody.content).map((type) => [type, { schema: taskSchema }])),
  }; // hours: type and required
  delete theirs.paths['/triage/'].post.requestBody.content['multipart/form-data']; // parses differ
  return theirs;
}

const PLANTED = {
  folders_list: [
    'unknown',
    ['OPTIONS answered 404: the path, or the id in it, may not exist on this tenant (try --ids)'],
  ],
  incidents_destroy: ['refuted', ['DELETE is not allowed (Allow: GET, PATCH, OPTIONS)']],
  incidents_notes_create: [
    'differs',
    ['field subject: theirs (required), not ours', 'field pinned: theirs, not ours', 'field title: ours, not theirs'],
  ],
  incidents_tasks_create: [
    'differs',
    ['field hours: type string theirs, number ours', 'field hours: required theirs, optional ours'],
  ],
  triage_create: ['differs', ['parses multipart/form-data: ours, not theirs']],
};

describe('npm run probe', () => {
  let tenant: FakeTenant;
  beforeAll(async () => (tenant = await startFakeTenant(mutatedCopy(), { authorization, limit: 100 })));
  afterAll(() => tenant.close());

  it('finds exactly the planted differences, with OPTIONS only and under the limit (scaled to 100/s)', async () => {
    const report = await probe({ document: ours, baseUrl: tenant.url, authorization, requestsPerSecond: 100 });
    const found = Object.fromEntries(
      report.operations
        .filter((entry: any) => entry.verdict !== 'confirmed')
        .map((entry: any) => [entry.operationId, [entry.verdict, entry.differences]]),
    );
    expect(found).toEqual(PLANTED);
    expect(report.summary.undocumentedMethods).toEqual(['DELETE /incidents/{id}/notes/']);
    expect(report.summary.confirmed).toBe(report.operations.length - Object.keys(PLANTED).length);
    expect(new Set(tenant.requests.map((request) => request.method))).toEqual(new Set(['OPTIONS']));
    expect(tenant.requests.filter((request) => request.status === 429)).toEqual([]);
  });
});

describe('the documented 4 requests/second', () => {
  // Five paths: a second and a quarter of real time at the default rate.
  const small = {
    ...ours,
    paths: Object.fromEntries(
      ['/incidents/', '/folders/', '/users/', '/groups/', '/incident_templates/'].map((path) => [
        path,
        ours.paths[path],
      ]),
    ),
  };

  it('is the default, and the tenant sees no 429', async () => {
    const tenant = await startFakeTenant(small, { authorization, limit: 4 });
    try {
      const report = await probe({ document: small, baseUrl: tenant.url, authorization });
      expect(report.summary.confirmed).toBe(report.summary.operations);
      expect(tenant.requests.map((request) => request.status)).toEqual([200, 200, 200, 200, 200]);
      // Sends are 312 ms apart (the injected-clock test checks that exactly); arrivals only jitter.
      expect(tenant.requests.at(-1)!.at - tenant.requests[0]!.at).toBeGreaterThan(1000);
    } finally {
      await tenant.close();
    }
  });

  it('matters: unpaced, the same tenant answers 429', async () => {
    const tenant = await startFakeTenant(small, { authorization, limit: 4 });
    try {
      await Promise.all(
        [1, 2, 3, 4, 5, 6].map(() =>
          fetch(`${tenant.url}/users/`, { method: 'OPTIONS', headers: { Authorization: authorization } }).then(
            (response) => response.text(),
          ),
        ),
      );
      expect(tenant.requests.filter((request) => request.status === 429).length).toBeGreaterThan(0);
    } finally {
      await tenant.close();
    }
  });

  it("is kept by the client's limiter, on an injected clock, with Retry-After read as the client reads it (an HTTP date too)", async () => {
    let now = 0;
    const clock: LimiterClock = {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    };
    const starts: number[] = [];
    const fetch = (async () => {
      starts.push(now);
      // The third request is throttled until an HTTP date 3 s ahead (second precision: 2–3 s).
      if (starts.length === 3)
        return new Response(null, {
          status: 429,
          headers: { 'Retry-After': new Date(Date.now() + 3_000).toUTCString() },
        });
      return new Response('{}', { headers: { Allow: 'GET, POST, OPTIONS', 'Content-Type': 'application/json' } });
    }) as unknown as typeof globalThis.fetch;
    const report = await probe({ document: small, baseUrl: 'https://tenant.invalid', authorization, fetch, clock });
    expect(report.summary.requests).toBe(6);
    const gaps = starts.slice(1).map((start, i) => start - starts[i]!);
    // 80 % of 4/s: 312.5 ms apart; after the 429, the pause it asked for.
    expect(gaps.filter((_, i) => i !== 2)).toEqual([312.5, 312.5, 312.5, 312.5]);
    expect(gaps[2]).toBeGreaterThanOrEqual(2_000);
    expect(gaps[2]).toBeLessThanOrEqual(3_000);
  });
});

describe('tenants that do not answer as DRF does', () => {
  const small = { ...ours, paths: { '/incidents/{id}/notes/': ours.paths['/incidents/{id}/notes/'] } };
  async function against(handler: Parameters<typeof createServer>[1]) {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      return await probe({
        document: small,
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        authorization,
        requestsPerSecond: 100,
      }).catch((error: Error) => error);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('405, no metadata and 403 are reported, not crashed on', async () => {
    const refused = (await against((_request, response) =>
      response.writeHead(405, { Allow: 'GET, POST' }).end(),
    )) as any;
    expect(refused.operations.map((entry: any) => [entry.verdict, entry.differences])).toEqual([
      ['unknown', ['OPTIONS answered 405: the tenant does not answer OPTIONS on this path']],
      ['unknown', ['OPTIONS answered 405: the tenant does not answer OPTIONS on this path']],
    ]);
    const bare = (await against((_request, response) =>
      response.writeHead(200, { Allow: 'GET, OPTIONS', 'Content-Type': 'text/html' }).end('<html></html>'),
    )) as any;
    expect(bare.operations.map((entry: any) => [entry.operationId, entry.verdict, entry.differences])).toEqual([
      ['incidents_notes_list', 'confirmed', ['no DRF metadata in the answer: media types and fields not compared']],
      ['incidents_notes_create', 'refuted', ['POST is not allowed (Allow: GET, OPTIONS)']],
    ]);
    const forbidden = await against((_request, response) => response.writeHead(403).end());
    expect(String(forbidden)).toBe(
      'Error: the tenant answered OPTIONS with 403: the credentials are valid but not allowed to use the API (the role needs the API capability)',
    );
  });
});

describe('the probe command', () => {
  let tenant: FakeTenant;
  const specFile = join(dir, 'small.yaml');
  beforeAll(async () => {
    const small = {
      ...ours,
      paths: Object.fromEntries(['/incidents/{id}/notes/', '/users/'].map((path) => [path, ours.paths[path]])),
    };
    writeFileSync(specFile, stringify(small, { aliasDuplicateObjects: false }));
    tenant = await startFakeTenant(small, { authorization, limit: 4 });
  });
  afterAll(() => tenant.close());
  // Asynchronous: the fake tenant answers from this process.
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        'npm',
        ['run', '--silent', 'probe', '--', ...args],
        {
          cwd: root,
          env: { ...process.env, CLOUDSOAR_TOKEN: '', CLOUDSOAR_ACCESS_ID: '', CLOUDSOAR_ACCESS_KEY: '', ...env },
          encoding: 'utf8',
          timeout: 150_000,
        },
        (_error, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
      );
    });

  it('prints JSON and writes a record with no secret, host or id value; 401 is one clear line', async () => {
    const record = join(dir, 'record.json');
    const ok = await run(['--json', '--ids', 'id=9876543', '--spec', specFile, '--record', record], {
      CLOUDSOAR_BASE_URL: tenant.url,
      CLOUDSOAR_TOKEN: TOKEN,
    });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.summary).toMatchObject({ operations: 3, confirmed: 3 });
    expect(report.operations[0]).toMatchObject({
      operationId: 'incidents_notes_list',
      method: 'GET',
      path: '/incidents/{id}/notes/',
      verdict: 'confirmed',
      differences: [],
    });
    const written = readFileSync(record, 'utf8');
    expect(JSON.parse(written)).toMatchObject({
      format: 'cloudsoar-v3-observation/1',
      tool: 'probe',
      observations: [
        { operationId: 'incidents_notes_list' },
        { operationId: 'incidents_notes_create', seen: { allowed: true } },
        { operationId: 'users_list' },
      ],
    });
    await checkRecord('record.json', JSON.parse(written)); // the format the build reads
    const host = new URL(tenant.url).host;
    for (const text of [ok.stdout, written]) {
      for (const secret of [TOKEN, host, '127.0.0.1', '9876543', 'Bearer']) expect(text).not.toContain(secret);
    }
    expect(tenant.requests.find((request) => request.path.includes('9876543'))).toBeDefined();

    const refused = await run(['--spec', specFile], {
      CLOUDSOAR_BASE_URL: tenant.url,
      CLOUDSOAR_TOKEN: 'wrong-token-value',
    });
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^the tenant answered OPTIONS with 401: the credentials were not accepted/),
    ]);
    expect(refused.stderr).not.toContain('wrong-token-value');
    expect(refused.stderr).not.toContain(host);
  });
});

describe('--help', () => {
  it('explains both commands', async () => {
    const help = (script: string) =>
      new Promise<string>((resolve, reject) =>
        execFile(
          'npm',
          ['run', '--silent', script, '--', '--help'],
          { cwd: root, encoding: 'utf8' },
          (error, stdout) => (error ? reject(error) : resolve(stdout)),
        ),
      );
    const [probeHelp, reconcileHelp] = await Promise.all([help('probe'), help('reconcile')]);
    expect(probeHelp).toMatch(/^npm run probe -- \[--ids name=value,\.\.\.\] \[--json\] \[--record FILE\]/);
    for (const word of [
      'OPTIONS',
      '4 a second',
      'confirmed',
      'differs',
      'refuted',
      'unknown',
      'CLOUDSOAR_BASE_URL',
      '--record FILE',
    ])
      expect(probeHelp).toContain(word);
    expect(reconcileHelp).toMatch(/^npm run reconcile -- <reference>/);
    for (const word of ['Swagger 2.0', 'only-ours', 'only-theirs', '--patch FILE', '--record FILE'])
      expect(reconcileHelp).toContain(word);
  });
});
