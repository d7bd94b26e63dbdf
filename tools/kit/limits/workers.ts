// Starts worker processes (worker.ts) once and runs scenarios on all of them at once.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { root } from '../repo.js';
import type { Scenario, WorkerResult } from './worker.js';

export type { Scenario, WorkerResult };

export interface Workers {
  /** Sends the scenario to every worker at once (each with its own `worker` number) and collects their results. */
  run(scenario: Omit<Scenario, 'worker'>): Promise<WorkerResult[]>;
  /** Ends their input and resolves with their exit codes. */
  stop(): Promise<(number | null)[]>;
}

export async function startWorkers(count: number): Promise<Workers> {
  const children: ChildProcessWithoutNullStreams[] = [];
  const lines: AsyncIterator<string>[] = [];
  const exits: Promise<number | null>[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/kit/limits/worker.ts'], {
      cwd: root,
      stdio: 'pipe',
    });
    child.stderr.pipe(process.stderr);
    children.push(child);
    exits.push(new Promise((resolve) => child.once('exit', (code) => resolve(code))));
    lines.push(createInterface({ input: child.stdout })[Symbol.asyncIterator]());
  }
  const next = async (i: number): Promise<string> => {
    const { value, done } = await lines[i]!.next();
    if (done) throw new Error(`limit worker ${i} exited early`);
    return value;
  };
  try {
    const ready = await Promise.all(children.map((_, i) => next(i)));
    if (ready.some((line) => line !== 'ready')) throw new Error(`limit workers did not start: ${ready.join(' / ')}`);
  } catch (error) {
    for (const child of children) child.kill('SIGKILL');
    throw error;
  }
  return {
    async run(scenario) {
      for (const [worker, child] of children.entries())
        child.stdin.write(`${JSON.stringify({ ...scenario, worker })}\n`);
      return Promise.all(children.map(async (_, i) => JSON.parse(await next(i)) as WorkerResult));
    },
    async stop() {
      for (const child of children) child.stdin.end();
      const timer = setTimeout(() => {
        for (const child of children) child.kill('SIGKILL');
      }, 10_000);
      try {
        return await Promise.all(exits);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
