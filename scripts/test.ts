// `npm test`: every check CI runs, as phases run side by side where their inputs allow, each one's
// output printed as one block when it ends, then a table of each phase's wall and CPU seconds.
// Exits non-zero when any phase fails; a phase whose prerequisite failed is skipped, not run.
//
// A phase runs a package.json script (without npm's own start-up, ~0.4 CPU s each) or a command.
// Adding a check is one line in PHASES. CPU seconds (user+sys of the phase's whole process tree,
// from the shell's `times`) matter more than wall seconds on a shared machine: with C cores, the
// CPU sum / C is the floor of the wall time.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPrism, type RunningPrism } from './lib/prism.mjs';

interface Phase {
  name: string;
  /** A package.json script name (run without npm), or a shell command. */
  script?: string;
  command?: string;
  /** Phases that must have passed first (their outputs are this phase's inputs). */
  after?: string[];
  /** Gets the run's one Prism mock (CLOUDSOAR_SHARED_MOCK_URL) instead of starting its own. */
  mock?: true;
}

const PHASES: Phase[] = [
  { name: 'generate:check', script: 'generate:check' },
  { name: 'lint', script: 'lint' },
  { name: 'typecheck', script: 'typecheck' },
  { name: 'docs', script: 'docs' },
  { name: 'build', script: 'build' },
  { name: 'ensure-chromium', command: 'node scripts/ensure-chromium.mjs' },
  { name: 'vitest', script: 'test:suite', after: ['docs', 'build', 'ensure-chromium'], mock: true },
  { name: 'portability', script: 'portability', after: ['build'], mock: true },
  { name: 'contract summary', command: 'node scripts/contract-summary.mjs', after: ['vitest'] },
];

const root = fileURLToPath(new URL('..', import.meta.url));
const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` };
// Phases mostly wait on their own children (vitest workers, Prism, Chromium), so one more than
// the cores keeps them busy without making each phase's own parallel work fight for them.
const concurrency = Number(process.env.TEST_CONCURRENCY ?? availableParallelism() + 1);

interface Outcome {
  name: string;
  status: 'pass' | 'FAIL' | 'skipped';
  wallSeconds: number;
  cpuSeconds?: number | undefined;
}

const running = new Set<number>();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    for (const pid of running) {
      try {
        process.kill(-pid, signal); // the phase's whole process group
      } catch {
        // already gone
      }
    }
  });
}

/** `times` prints the shell's and then its children's user and system time, as `0m1.230s 0m0.040s`. */
function childCpuSeconds(times: string): number | undefined {
  const line = times.trim().split('\n')[1];
  const parts = line ? [...line.matchAll(/(\d+)m([\d.]+)s/g)] : [];
  if (parts.length !== 2) return undefined;
  return parts.reduce((sum, [, minutes, seconds]) => sum + Number(minutes) * 60 + Number(seconds), 0);
}

// One Prism for every phase that calls the mock (a start costs ~3 CPU s; it keeps no state),
// started at once so that it comes up while the first phases run.
const mock: Promise<RunningPrism> | undefined = PHASES.some((phase) => phase.mock) ? startPrism() : undefined;
mock?.catch(() => {}); // reported by the phases that need it

async function runPhase(phase: Phase): Promise<Outcome> {
  const command = phase.script ? scripts[phase.script] : phase.command;
  if (!command) throw new Error(`phase ${phase.name}: package.json has no script ${phase.script}`);
  const started = performance.now();
  let phaseEnv = env;
  if (phase.mock) {
    try {
      phaseEnv = { ...env, CLOUDSOAR_SHARED_MOCK_URL: (await mock!).url };
    } catch (error) {
      process.stdout.write(`\n── ${phase.name}: FAIL, the shared mock did not start ──\n${(error as Error).message}\n`);
      return { name: phase.name, status: 'FAIL', wallSeconds: 0 };
    }
  }
  return new Promise((resolve) => {
    // Its own process group, so an interruption reaches everything it started.
    const child = spawn('sh', ['-c', `${command}\nstatus=$?\ntimes >&3\nexit $status`], {
      cwd: root,
      env: phaseEnv,
      detached: true,
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
      process.stdout.write(`\n── ${phase.name}: ${status} in ${wallSeconds.toFixed(1)} s ──\n${text ? `${text}\n` : ''}`);
      resolve({ name: phase.name, status, wallSeconds, cpuSeconds: childCpuSeconds(times) });
    });
  });
}

/** Runs the phases, each as soon as its prerequisites passed and a slot is free. */
async function runAll(phases: Phase[]): Promise<Outcome[]> {
  const outcomes = new Map<string, Outcome>();
  const pending = [...phases];
  const active = new Map<string, Promise<void>>();
  while (pending.length > 0 || active.size > 0) {
    for (const phase of [...pending]) {
      const before = (phase.after ?? []).map((name) => outcomes.get(name));
      if (interrupted || before.some((outcome) => outcome && outcome.status !== 'pass')) {
        outcomes.set(phase.name, { name: phase.name, status: 'skipped', wallSeconds: 0 });
      } else if (active.size >= concurrency || before.some((outcome) => !outcome)) {
        continue;
      } else {
        active.set(phase.name, runPhase(phase).then((outcome) => void outcomes.set(phase.name, outcome)).finally(() => active.delete(phase.name)));
      }
      pending.splice(pending.indexOf(phase), 1);
    }
    if (active.size > 0) await Promise.race(active.values());
  }
  return phases.map((phase) => outcomes.get(phase.name)!);
}

/** CPU seconds of this process and of all its children that have exited (Linux: /proc/self/stat). */
function runCpuSeconds(): number | undefined {
  const own = process.cpuUsage();
  try {
    // Fields after the command name; utime is field 14, so cutime and cstime (16, 17) are at 13, 14.
    const fields = readFileSync('/proc/self/stat', 'latin1').replace(/^.*\) /, '').split(' ');
    const ticksPerSecond = 100; // USER_HZ, 100 on every Linux architecture Node runs on
    return (own.user + own.system) / 1e6 + (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

function table(outcomes: Outcome[], wallSeconds: number, cpuSeconds: number | undefined): string {
  const width = Math.max(...outcomes.map((outcome) => outcome.name.length), '(runner, shared mock)'.length);
  const row = (name: string, status: string, wall: string, cpu: string) => `${name.padEnd(width)}  ${status.padEnd(7)}  ${wall.padStart(6)}  ${cpu.padStart(6)}`;
  const seconds = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(1));
  const phasesCpu = outcomes.reduce((sum, outcome) => sum + (outcome.cpuSeconds ?? 0), 0);
  return [
    row('phase', 'result', 'wall s', 'CPU s'),
    ...outcomes.map((outcome) => row(outcome.name, outcome.status, outcome.status === 'skipped' ? '–' : seconds(outcome.wallSeconds), seconds(outcome.cpuSeconds))),
    row('(runner, shared mock)', '', '', seconds(cpuSeconds === undefined ? undefined : cpuSeconds - phasesCpu)),
    row('npm test', outcomes.every((outcome) => outcome.status === 'pass') ? 'pass' : 'FAIL', seconds(wallSeconds), seconds(cpuSeconds ?? phasesCpu)),
  ].join('\n');
}

const started = performance.now();
const outcomes = await runAll(PHASES);
await (await mock?.catch(() => undefined))?.stop();
console.log(`\n${table(outcomes, (performance.now() - started) / 1000, runCpuSeconds())}`);
process.exitCode = interrupted ? 130 : outcomes.every((outcome) => outcome.status === 'pass') ? 0 : 1;
