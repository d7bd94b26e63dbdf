// Runs `npm test`'s phases (see scripts/test.ts): each a shell command in its own process group,
// as many at once as allowed and as soon as the phases it reads have passed; its output printed as
// one block when it ends; its wall seconds and the CPU seconds of its whole process tree recorded.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Phase {
  name: string;
  /** A shell command. */
  command: string;
  /** Phases that must have passed first (their outputs are this phase's inputs); else it is skipped. */
  after?: string[];
  /** Extra environment, made when the phase starts; a rejection fails the phase. */
  env?: () => Promise<NodeJS.ProcessEnv>;
}

export interface Outcome {
  name: string;
  status: 'pass' | 'FAIL' | 'skipped';
  wallSeconds: number;
  cpuSeconds?: number | undefined;
}

export interface RunOptions {
  concurrency: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where each phase's block of output goes. */
  write: (text: string) => void;
}

const running = new Set<number>();
let stopping = false;

/** Stops the running phases (each whole process group) and skips the rest: Ctrl-C. */
export function stopPhases(signal: NodeJS.Signals): void {
  stopping = true;
  for (const pid of running) {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }
}

/** `times` prints the shell's and then its children's user and system time, as `0m1.230s 0m0.040s`. */
export function childCpuSeconds(times: string): number | undefined {
  const line = times.trim().split('\n')[1];
  const parts = line ? [...line.matchAll(/(\d+)m([\d.]+)s/g)] : [];
  if (parts.length !== 2) return undefined;
  return parts.reduce((sum, [, minutes, seconds]) => sum + Number(minutes) * 60 + Number(seconds), 0);
}

async function runPhase(phase: Phase, options: RunOptions): Promise<Outcome> {
  const started = performance.now();
  let env = options.env;
  try {
    if (phase.env) env = { ...env, ...(await phase.env()) };
  } catch (error) {
    options.write(`\n── ${phase.name}: FAIL before it started ──\n${(error as Error).message}\n`);
    return { name: phase.name, status: 'FAIL', wallSeconds: (performance.now() - started) / 1000 };
  }
  return new Promise((resolve) => {
    // The shell's `times`, written to fd 3, gives the CPU time of everything the command started.
    const child = spawn('sh', ['-c', `${phase.command}\nstatus=$?\ntimes >&3\nexit $status`], {
      cwd: options.cwd,
      env,
      detached: true, // its own process group, so an interruption reaches everything it started
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    running.add(child.pid!);
    let output = '';
    let times = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.stdio[3]!.on('data', (chunk) => (times += chunk));
    child.once('close', (code) => {
      running.delete(child.pid!);
      const wallSeconds = (performance.now() - started) / 1000;
      const status = code === 0 ? 'pass' : 'FAIL';
      const text = output.trimEnd();
      options.write(`\n── ${phase.name}: ${status} in ${wallSeconds.toFixed(1)} s ──\n${text ? `${text}\n` : ''}`);
      resolve({ name: phase.name, status, wallSeconds, cpuSeconds: childCpuSeconds(times) });
    });
  });
}

/** Runs the phases, each as soon as its prerequisites passed and a slot is free; outcomes in the phases' order. */
export async function runPhases(phases: Phase[], options: RunOptions): Promise<Outcome[]> {
  const names = new Set(phases.map((phase) => phase.name));
  for (const phase of phases) {
    const unknown = (phase.after ?? []).filter(
      (name) => !names.has(name) || phases.indexOf(phase) <= phases.findIndex((other) => other.name === name),
    );
    if (unknown.length > 0)
      throw new Error(`phase ${phase.name}: "after" must name earlier phases, not ${unknown.join(', ')}`);
  }
  const outcomes = new Map<string, Outcome>();
  const pending = [...phases];
  const active = new Map<string, Promise<void>>();
  while (pending.length > 0 || active.size > 0) {
    for (const phase of [...pending]) {
      const before = (phase.after ?? []).map((name) => outcomes.get(name));
      if (stopping || before.some((outcome) => outcome && outcome.status !== 'pass')) {
        outcomes.set(phase.name, { name: phase.name, status: 'skipped', wallSeconds: 0 });
      } else if (active.size >= options.concurrency || before.some((outcome) => !outcome)) {
        continue;
      } else {
        const done = runPhase(phase, options).then((outcome) => void outcomes.set(phase.name, outcome));
        active.set(
          phase.name,
          done.finally(() => active.delete(phase.name)),
        );
      }
      pending.splice(pending.indexOf(phase), 1);
    }
    if (active.size > 0) await Promise.race(active.values());
  }
  return phases.map((phase) => outcomes.get(phase.name)!);
}

/** CPU seconds of this process and of all its children that have exited (Linux: /proc/self/stat). */
export function processTreeCpuSeconds(): number | undefined {
  const own = process.cpuUsage();
  try {
    // Fields after the command name: utime is field 14, so cutime and cstime (16, 17) are at 13, 14.
    const fields = readFileSync('/proc/self/stat', 'latin1')
      .replace(/^.*\) /, '')
      .split(' ');
    const ticksPerSecond = 100; // USER_HZ: 100 on every Linux architecture Node runs on
    return (own.user + own.system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** The closing table: each phase's result, wall and CPU seconds; the rest of the CPU (runner, shared services); the total. */
export function phaseTable(
  outcomes: Outcome[],
  wallSeconds: number,
  cpuSeconds: number | undefined,
  restLabel = '(runner, shared mock)',
): string {
  const width = Math.max(...outcomes.map((outcome) => outcome.name.length), restLabel.length);
  const row = (name: string, status: string, wall: string, cpu: string) =>
    `${name.padEnd(width)}  ${status.padEnd(7)}  ${wall.padStart(6)}  ${cpu.padStart(6)}`;
  const seconds = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(1));
  const phasesCpu = outcomes.reduce((sum, outcome) => sum + (outcome.cpuSeconds ?? 0), 0);
  return [
    row('phase', 'result', 'wall s', 'CPU s'),
    ...outcomes.map((outcome) =>
      row(
        outcome.name,
        outcome.status,
        outcome.status === 'skipped' ? '–' : seconds(outcome.wallSeconds),
        seconds(outcome.cpuSeconds),
      ),
    ),
    row(restLabel, '', '', seconds(cpuSeconds === undefined ? undefined : cpuSeconds - phasesCpu)),
    row(
      'npm test',
      outcomes.every((outcome) => outcome.status === 'pass') ? 'pass' : 'FAIL',
      seconds(wallSeconds),
      seconds(cpuSeconds ?? phasesCpu),
    ),
  ].join('\n');
}
