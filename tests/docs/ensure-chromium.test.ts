// The install step fails with a message that says what to do, rather than a stack or a silent pass.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('names a CHROMIUM_PATH that does not exist and stops, without installing anything', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ensure-chromium.ts'], { cwd: root, env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' }, encoding: 'utf8' });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('CHROMIUM_PATH is /nonexistent/chromium, which does not exist');
  expect(result.stdout).not.toContain('apt-get');
});

it('reports the browser it found', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ensure-chromium.ts'], { cwd: root, env: { ...process.env, CHROMIUM_PATH: process.execPath }, encoding: 'utf8' });
  expect(result.status).toBe(0);
  expect(result.stdout).toBe(`chromium: ${process.execPath}\n`);
});
