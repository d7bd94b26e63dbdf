// Every helper process the tests start (Prism, the docs server, Chromium) is stopped when a test
// fails, and when the run is killed outright. A nested vitest runs tests/fixtures/cleanup: the
// suite's global setup plus a fixture that starts each kind of helper and then fails or is killed.
//
// Processes are counted by an environment variable only this test's nested run carries (every
// helper inherits it), not machine-wide, since other runs share the machine; and not by parent
// pid, since a helper that outlives its parent is re-parented away from us and would be missed.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'cloudsoar-cleanup-'));
const MARK = 'CLOUDSOAR_CLEANUP_MARK';
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Live processes whose environment carries MARK=mark, as `pid command line` (whole: a clone's long path must not cut a name off). */
function marked(mark: string): string[] {
  const needle = `${MARK}=${mark}\0`;
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').includes(needle)) continue;
      const state = readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /, '')[0];
      if (state === 'Z') continue; // exited, waiting for its parent to collect the status
      found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ')}`);
    } catch {
      // gone meanwhile, or another user's process
    }
  }
  return found;
}

/** Polls until no marked process is left, for at most `ms`; returns what is left. */
async function leftAfter(mark: string, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  let left = marked(mark);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(100);
    left = marked(mark);
  }
  return left;
}

/** Starts the nested run and resolves once its helpers are up, with how to end it. */
async function startNestedRun() {
  const mark = randomUUID();
  const ready = join(work, `${mark}.ready`);
  const go = join(work, `${mark}.go`);
  const env: NodeJS.ProcessEnv = { ...process.env, [MARK]: mark, CLEANUP_READY_FILE: ready, CLEANUP_GO_FILE: go };
  for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name]; // a run of its own, not our worker
  delete env.CLOUDSOAR_SHARED_MOCK_URL; // its global setup must start (and leave behind, if it leaks) a Prism of its own
  const child = spawn(
    process.execPath,
    [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'tests/fixtures/cleanup/vitest.config.ts'],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  while (!existsSync(ready) && child.exitCode === null) await sleep(50);
  if (!existsSync(ready)) throw new Error(`the nested run ended before its helpers were up:\n${output.slice(-3000)}`);
  return { mark, child, exited, output: () => output, proceed: () => writeFileSync(go, 'go') };
}

it('stops every helper when a test fails, and when the run is killed with SIGKILL', async () => {
  const [failing, killed] = await Promise.all([startNestedRun(), startNestedRun()]);
  try {
    // Both runs are up: vitest, its worker, two Prisms and Chromium's processes each.
    for (const run of [failing, killed]) {
      const up = marked(run.mark);
      expect(
        up.filter((line) => line.includes('prism-cli')),
        up.join('\n'),
      ).toHaveLength(2);
      expect(up.filter((line) => /chrom/i.test(line)).length, up.join('\n')).toBeGreaterThan(0);
    }

    failing.proceed();
    killed.child.kill('SIGKILL'); // the harshest interruption: no handler, no afterAll runs
    expect(await failing.exited, failing.output().slice(-3000)).toBe(1);
    expect(failing.output()).toContain('a forced failure');
    await killed.exited;

    // Exiting takes a moment after the parent is gone (the stdin lifeline, Chromium's pipe), longer
    // on a loaded machine: the wait ends as soon as all are gone, so it can be generous.
    expect(await leftAfter(failing.mark, 60_000), 'left after a failing test').toEqual([]);
    expect(await leftAfter(killed.mark, 60_000), 'left after SIGKILL of the run').toEqual([]);
  } finally {
    for (const run of [failing, killed]) if (run.child.exitCode === null) run.child.kill('SIGKILL');
  }
}, 300_000); // a hang guard: two nested runs start 4 Prisms and 2 Chromiums, slow on a loaded machine
