// `npm run lint` guards the spec; this proves it fails on what it must catch, on a mutated copy.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const redocly = join(createRequire(import.meta.url).resolve('@redocly/cli/package.json'), '..', 'bin', 'cli.js');
const dir = mkdtempSync(join(tmpdir(), 'cloudsoar-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mutate(file: string, from: string, to: string) {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`mutation target not found in ${file}: ${from}`);
  writeFileSync(path, text.replace(from, to));
}

it('lint fails on an invalid example, a missing x-evidence, a non-drf operationId and a missing error response', () => {
  cpSync(join(root, 'spec'), join(dir, 'spec'), { recursive: true });
  cpSync(join(root, 'redocly.yaml'), join(dir, 'redocly.yaml'));
  mutate('spec/components/examples/FolderMove.yaml', 'folder_id: 4', 'folder_id: four');
  mutate('spec/paths/folders/folders.yaml', '  x-evidence:\n    grade: E\n    sources:\n      - S7\n', '');
  mutate('spec/paths/users/users.yaml', 'operationId: users_list', 'operationId: listUsers');
  mutate('spec/paths/users/groups.yaml', "    '429':\n      $ref: ../../components/responses/TooManyRequests.yaml\n", '');
  const result = spawnSync(process.execPath, [redocly, 'lint', 'spec/openapi.yaml', '--format=stylish'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
  });
  const output = `${result.stdout}${result.stderr}`;
  expect(result.status).not.toBe(0);
  expect(output).toMatch(/FolderMove\.yaml[\s\S]*no-invalid-media-type-examples/);
  expect(output).toMatch(/folders\.yaml[\s\S]*rule\/operation-has-evidence/);
  expect(output).toMatch(/rule\/operation-id-drf-spectacular/);
  expect(output).toMatch(/groups\.yaml[\s\S]*rule\/operation-has-error-set/);
}, 30_000);
