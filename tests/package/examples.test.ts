// The scripts under examples/ run against the mock, as a user would run them.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function runExample(file: string): unknown {
  const output = execFileSync(process.execPath, ['--import', 'tsx', `examples/${file}`], {
    cwd: root,
    env: { ...process.env, CLOUDSOAR_BASE_URL: inject('mockUrl'), CLOUDSOAR_TOKEN: 'example-token' },
    encoding: 'utf8',
    timeout: 150_000,
  });
  return JSON.parse(output.trim().split('\n').pop()!);
}

describe('examples run against the mock', () => {
  it('open-incident-from-alert', () =>
    expect(runExample('open-incident-from-alert.ts')).toEqual({ incidentId: 8508, noteId: 901 }));
  it('search-and-note', () => expect(runExample('search-and-note.ts')).toEqual({ noted: [8508, 8507] }));
  it('upload-attachment', () =>
    expect(runExample('upload-attachment.ts')).toEqual({ attachmentId: 77, fileName: 'screenshot.png' }));
  it('drive-triage', () => expect(runExample('drive-triage.ts')).toEqual({ eventId: 1204, incidentId: 8509 }));
});
