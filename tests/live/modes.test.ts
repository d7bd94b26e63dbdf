// `npm run test:live` and `npm run verify:proxy` as a user runs them, pointed at the local mock,
// so CI exercises the live code paths (credentials from the environment, read-only by default).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, inject, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tenantEnv = () => ({
  ...process.env,
  NO_COLOR: '1',
  FORCE_COLOR: '0',
  CLOUDSOAR_BASE_URL: inject('mockUrl'),
  CLOUDSOAR_ACCESS_ID: 'suMockAccessId',
  CLOUDSOAR_ACCESS_KEY: 'mock-access-key',
  CLOUDSOAR_ALLOW_WRITES: '',
});

it('npm run test:live runs the read-only suite with credentials from the environment', () => {
  const result = spawnSync('npm', ['run', '--silent', 'test:live'], {
    cwd: root,
    env: tenantEnv(),
    encoding: 'utf8',
    timeout: 150_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  expect(result.status, output.slice(-2000)).toBe(0);
  expect(output).toMatch(/Tests\s+\d+ passed \(\d+\)/);
  expect(output).not.toMatch(/failed/);
  expect(output).not.toContain('mock-access-key');
});

it('npm run test:live refuses to start without a tenant', () => {
  const { CLOUDSOAR_BASE_URL: _url, ...env } = tenantEnv();
  const result = spawnSync('npm', ['run', '--silent', 'test:live'], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 150_000,
  });
  expect(result.status).not.toBe(0);
  expect(`${result.stdout}${result.stderr}`).toContain('Set CLOUDSOAR_BASE_URL');
});

it('npm run verify:proxy puts Prism in front of the server and reports no violation on a conforming one', () => {
  const result = spawnSync('npm', ['run', '--silent', 'verify:proxy'], {
    cwd: root,
    env: tenantEnv(),
    encoding: 'utf8',
    timeout: 150_000,
  });
  expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  expect(result.stdout).toMatch(
    /verify:proxy: \d+ requests through Prism to http:\/\/127\.0\.0\.1:\d+ \(read-only\), 0 violations/,
  );
});
