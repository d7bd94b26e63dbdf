// The install steps (Chromium for the browser test, python3 + requests for the Python samples) fail
// with a message that says what to do, rather than a stack or a silent pass, and every apt-get
// they run waits for the dpkg lock rather than failing while another apt-get holds it.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { aptGetCommands } from '../../tools/kit/apt.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = (script: string, env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });

it('names a CHROMIUM_PATH that does not exist and stops, without installing anything', () => {
  const result = run('scripts/ensure-chromium.ts', { CHROMIUM_PATH: '/nonexistent/chromium' });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('CHROMIUM_PATH is /nonexistent/chromium, which does not exist');
  expect(result.stdout).not.toContain('apt-get');
});

it('reports the browser it found', () => {
  const result = run('scripts/ensure-chromium.ts', { CHROMIUM_PATH: process.execPath });
  expect(result.status).toBe(0);
  expect(result.stdout).toBe(`chromium: ${process.execPath}\n`);
});

it('names a PYTHON without requests and stops, without installing anything', () => {
  const result = run('scripts/ensure-python.ts', { PYTHON: '/nonexistent/python3' });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('needs /nonexistent/python3 with the requests module');
  expect(result.stdout).not.toContain('installing');
});

it('makes every apt-get wait for the dpkg lock', () => {
  const commands = aptGetCommands(['chromium']);
  expect(commands.map((args) => args.slice(0, 2))).toEqual(commands.map(() => ['-o', 'DPkg::Lock::Timeout=600']));
  // …and apt-get is run nowhere else in the project's tooling.
  const files = ['scripts', join('tools', 'kit')].flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' }).map((file) => join(folder, file)),
  );
  const callers = files.filter(
    (file) =>
      /\.(m?[jt]s|cjs)$/.test(file) && /spawn(Sync)?\(\s*['"]apt-get['"]/.test(readFileSync(join(root, file), 'utf8')),
  );
  expect(callers).toEqual([join('tools', 'kit', 'apt.ts')]);
});
