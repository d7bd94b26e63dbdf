// The machinery of `npm test` (tools/kit/phases.ts): results, skips, order, concurrency and CPU
// accounting, on small shell phases. Order is checked through a log the phases write, not by time.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childCpuSeconds, type Phase, phaseTable, type RunOptions, runPhases } from '../../tools/kit/phases.js';

const work = mkdtempSync(join(tmpdir(), 'cloudsoar-phases-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function options(concurrency: number, written: string[] = []): RunOptions {
  return { concurrency, cwd: work, env: process.env, write: (text) => void written.push(text) };
}
/** A phase that logs its start and end to `log`, with a pause between (so that overlaps would show). */
const logged = (name: string, log: string, extra: Partial<Phase> = {}): Phase => ({
  name,
  command: `echo "start ${name}" >> ${log}; sleep 0.2; echo "end ${name}" >> ${log}`,
  ...extra,
});
const lines = (log: string) => readFileSync(log, 'utf8').trim().split('\n');

describe('npm test phases', () => {
  it('passes, fails, and skips what depends on a failure; prints each phase as one block', async () => {
    const written: string[] = [];
    const outcomes = await runPhases(
      [
        { name: 'ok', command: 'echo all good' },
        { name: 'broken', command: 'echo something broke >&2; exit 3' },
        { name: 'after broken', command: 'echo must not run', after: ['broken'] },
        { name: 'after ok', command: 'true', after: ['ok'] },
      ],
      options(2, written),
    );
    expect(outcomes.map(({ name, status }) => [name, status])).toEqual([
      ['ok', 'pass'],
      ['broken', 'FAIL'],
      ['after broken', 'skipped'],
      ['after ok', 'pass'],
    ]);
    const output = written.join('');
    expect(output).toMatch(/── ok: pass in [\d.]+ s ──\nall good\n/);
    expect(output).toMatch(/── broken: FAIL in [\d.]+ s ──\nsomething broke\n/);
    expect(output).not.toContain('must not run');
  });

  it('runs no more phases at once than allowed, and a phase only after the ones it reads', async () => {
    const serial = join(work, 'serial.log');
    await runPhases([logged('a', serial), logged('b', serial), logged('c', serial)], options(1));
    expect(lines(serial)).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);

    const ordered = join(work, 'ordered.log');
    await runPhases([logged('first', ordered), logged('second', ordered, { after: ['first'] })], options(4));
    expect(lines(ordered)).toEqual(['start first', 'end first', 'start second', 'end second']);
  });

  it('counts the CPU time of the whole process tree a phase started', async () => {
    // A grandchild (sh → node) burns 0.3 s of CPU: CPU time, not wall time, so a busy machine cannot shorten it.
    const burn = `${JSON.stringify(process.execPath)} -e "const t = process.cpuUsage(); while (process.cpuUsage(t).user + process.cpuUsage(t).system < 300000);"`;
    const [outcome] = await runPhases(
      [{ name: 'burn', command: `sh -c '${burn.replaceAll("'", "'\\''")}'` }],
      options(1),
    );
    expect(outcome!.status).toBe('pass');
    expect(outcome!.cpuSeconds).toBeGreaterThanOrEqual(0.29);
    expect(childCpuSeconds('0m0.010000s 0m0.000000s\n1m2.500000s 0m0.250000s\n')).toBe(62.75);
  });

  it('refuses an "after" that names no earlier phase', async () => {
    await expect(
      runPhases(
        [
          { name: 'x', command: 'true', after: ['y'] },
          { name: 'y', command: 'true' },
        ],
        options(1),
      ),
    ).rejects.toThrow('phase x: "after" must name earlier phases, not y');
  });

  it('ends with a table of results, wall and CPU seconds, and the total', () => {
    const table = phaseTable(
      [
        { name: 'lint', status: 'pass', wallSeconds: 1.25, cpuSeconds: 2 },
        { name: 'vitest', status: 'FAIL', wallSeconds: 10, cpuSeconds: 15.5 },
        { name: 'summary', status: 'skipped', wallSeconds: 0 },
      ],
      12,
      20,
    );
    expect(table.split('\n').map((line) => line.split(/\s{2,}/).filter(Boolean))).toEqual([
      ['phase', 'result', 'wall s', 'CPU s'],
      ['lint', 'pass', '1.3', '2.0'],
      ['vitest', 'FAIL', '10.0', '15.5'],
      ['summary', 'skipped', '–', '–'],
      ['(runner, shared mock)', '2.5'],
      ['npm test', 'FAIL', '12.0', '20.0'],
    ]);
  });
});
