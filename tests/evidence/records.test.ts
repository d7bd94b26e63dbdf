// Committed observation records → grades: a confirming record makes an operation L with the record
// as a source and an "L · live" badge; a disagreeing one adds a note; a record that is malformed,
// names something unknown or identifies a tenant is refused, naming the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';
import { applyRecords, checkRecord, loadRecords } from '../../tools/kit/evidence-records.js';
import { showEvidence } from '../../tools/kit/post-process.js';
import { operationsOf } from '../../tools/kit/spec.js';

const dir = mkdtempSync(join(tmpdir(), 'cloudsoar-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const record = (observations: object[]) => ({
  format: 'cloudsoar-v3-observation/1',
  tool: 'probe',
  toolVersion: '0.1.0',
  date: '2026-11-28',
  observations,
});
const confirmed = {
  operationId: 'incidents_notes_create',
  method: 'POST',
  path: '/incidents/{id}/notes/',
  verdict: 'confirmed',
  differences: [],
  seen: { allowed: true, parses: ['application/json'] },
};
const differs = {
  operationId: 'incidents_tasks_create',
  method: 'POST',
  path: '/incidents/{id}/tasks/',
  verdict: 'differs',
  differences: ['field hours: type string theirs, number ours'],
};

function write(name: string, value: unknown) {
  writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
}

describe('observation records', () => {
  it('raise a confirmed operation to L, with the record as a source and an L badge; note a difference', async () => {
    write('2026-11-28-probe-a.json', record([confirmed, differs]));
    const records = await loadRecords(dir);
    const document = structuredClone((await loadBundledSpec()).document);
    applyRecords(document, records, [...operationsOf(document)]);
    const notes = document.paths['/incidents/{id}/notes/'].post;
    expect(notes['x-evidence']).toEqual({ grade: 'L', sources: ['S7', 'L-2026-11-28-probe-a'] });
    showEvidence(notes, 'POST /incidents/{id}/notes/');
    expect(notes['x-badges'][0].name).toBe('L · live');
    expect(notes.description).toMatch(
      /^\*\*Evidence L — live-observed\*\* \(confirmed on a real tenant .*sources: S7, L-2026-11-28-probe-a\)/,
    );
    const tasks = document.paths['/incidents/{id}/tasks/'].post;
    expect(tasks['x-evidence'].grade).toBe('P');
    expect(tasks.description).toContain(
      '**Live observation L-2026-11-28-probe-a (probe, 2026-11-28): differs.** `field hours: type string theirs, number ours`',
    );
  });

  it('are refused, naming the file, when malformed, unknown or identifying', async () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /^spec\/evidence\/bad\.json: not JSON/],
      [
        { ...record([confirmed]), format: 'other/1' },
        /^spec\/evidence\/bad\.json: not an observation record: \/format must be equal to constant/,
      ],
      [
        record([{ ...confirmed, differences: ['seen at https://acme.soar.sumologic.com'] }]),
        /contains a URL; records must be anonymised$/,
      ],
      [record([{ ...confirmed, differences: ['owner jane.doe@acme.com'] }]), /contains an e-mail address/],
      [record([{ ...confirmed, differences: ['from acme.soar.sumologic.com'] }]), /contains a host name/],
      [
        record([{ ...confirmed, differences: ['token eyJhbGciOiJIUzI1NiJ9abcDEF123456'] }]),
        /contains a token-like string/,
      ],
    ];
    for (const [value, error] of cases) {
      const only = mkdtempSync(join(dir, 'case-'));
      writeFileSync(join(only, 'bad.json'), typeof value === 'string' ? value : JSON.stringify(value));
      await expect(loadRecords(only)).rejects.toThrow(error);
    }
    const document = structuredClone((await loadBundledSpec()).document);
    const unknown = [
      { key: 'L-x', record: await checkRecord('x.json', record([{ ...confirmed, path: '/incidents/{id}/memos/' }])) },
    ];
    expect(() => applyRecords(document, unknown, [...operationsOf(document)])).toThrow(
      'L-x: POST /incidents/{id}/memos/ (incidents_notes_create) is not an operation of the description',
    );
  });
});
