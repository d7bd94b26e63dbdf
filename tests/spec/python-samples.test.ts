// The Python (`requests`) sample of every operation, as the reference shows it, runs against the mock
// with Debian's python3 and python3-requests (scripts/ensure-python.ts installs them), once with a
// token (Bearer) and once with an access id and key (Basic): both styles the sample shows. Any
// exception fails it, an HTTP error from raise_for_status() included. One interpreter per style,
// both at once, running every sample in turn (tests/support/run-python-samples.py).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, inject, it } from 'vitest';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';
import { samplePython } from '../../tools/kit/python.js';

const mockUrl = inject('mockUrl');
const spec = await loadBundledSpec();
const runner = fileURLToPath(new URL('../support/run-python-samples.py', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cloudsoar-python-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const samples = [...spec.operations.values()].map(({ operationId, operation }) => {
  const file = join(dir, `${operationId}.py`);
  writeFileSync(file, operation['x-codeSamples'].find((sample: { lang: string }) => sample.lang === 'Python').source);
  return { operationId, file };
});

/** Runs the samples in one interpreter with `credentials` (and nothing else of ours) in its environment; the failures. */
async function runAll(credentials: Record<string, string>, files = samples.map(({ file }) => file)): Promise<string[]> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    CLOUDSOAR_BASE_URL: mockUrl,
    ...credentials,
  };
  const { stdout } = await promisify(execFile)(samplePython(), [runner, ...files], {
    cwd: dir,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const results = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { file: string; ok: boolean; error?: string });
  expect(results.map(({ file }) => file)).toEqual(files);
  return results.filter(({ ok }) => !ok).map(({ file, error }) => `${file.replace(`${dir}/`, '')}: ${error}`);
}

it('runs every operation’s Python sample against the mock, with a token and with an access id and key', async () => {
  expect(samples.length).toBe(spec.operations.size);
  const [bearer, basic] = await Promise.all([
    runAll({ CLOUDSOAR_TOKEN: 'demo-token' }),
    runAll({ CLOUDSOAR_ACCESS_ID: 'demo-id', CLOUDSOAR_ACCESS_KEY: 'demo-key' }),
  ]);
  expect({ bearer, basic }).toEqual({ bearer: [], basic: [] });
}, 60_000);

it('would catch a sample that fails', async () => {
  // A sample with the incident's label where its numeric id belongs: the mock answers 400.
  const wrong = join(dir, 'wrong_sample.py');
  const source = samples.find(({ operationId }) => operationId === 'incidents_retrieve')!;
  writeFileSync(wrong, readFileSync(source.file, 'utf8').replace('/incidents/8508/', '/incidents/INSIGHT-1/'));
  const failures = await runAll({ CLOUDSOAR_TOKEN: 'demo-token' }, [wrong]);
  expect(failures).toEqual([expect.stringMatching(/^wrong_sample\.py: .*400 Client Error/)]);
}, 60_000);
