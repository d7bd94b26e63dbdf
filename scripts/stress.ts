// `npm run test:stress -- N [--load L]`: runs the whole `npm test` N times (default 3) while L
// busy-loop processes (default: one per core) burn the CPU, then reports each run's result and wall
// time. It answers the question "does the suite hold on a shared, loaded CI machine?", which an
// idle run cannot; `--load 4` on 2 cores is a machine shared with twice as much other work.
//
// The load is bounded: L burners (each at most one core), each exits by itself after
// STRESS_MAX_MINUTES or as soon as this script goes away (its stdin pipe closes), and
// all are stopped when the runs end or on Ctrl-C. Logs of each run go to a temporary directory.
// STRESS_MAX_MINUTES defaults to 10 per run: a loaded run takes 2–4 minutes.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { root } from '../tools/kit/repo.js';

const cores = availableParallelism();
function readArgs() {
  try {
    return parseArgs({ allowPositionals: true, options: { load: { type: 'string', default: String(cores) } } });
  } catch (error) {
    console.error(`test:stress: ${(error as Error).message}\nUsage: npm run test:stress -- [runs] [--load busy-loops]`);
    process.exit(2);
  }
}
const args = readArgs();
const runs = Number(args.positionals[0] ?? 3);
if (!Number.isInteger(runs) || runs < 1 || args.positionals.length > 1) {
  console.error(
    `test:stress: the number of runs must be one positive integer, got ${JSON.stringify(args.positionals.join(' '))}`,
  );
  process.exit(2);
}
const load = Number(args.values.load);
if (!Number.isInteger(load) || load < 0) {
  console.error(
    `test:stress: --load must be a whole number of busy loops (0 or more), got ${JSON.stringify(args.values.load)}`,
  );
  process.exit(2);
}
const maxMinutes = Number(process.env.STRESS_MAX_MINUTES ?? runs * 10);
const logDir = mkdtempSync(join(tmpdir(), 'cloudsoar-stress-'));

// A burner spins in 100 ms slices and yields between them, so it notices its stdin closing (this
// script exiting, even by SIGKILL) and its own deadline.
const BURNER = `
const deadline = Date.now() + ${maxMinutes * 60_000};
process.stdin.on('end', () => process.exit(0)).resume();
(function spin() {
  if (Date.now() > deadline) process.exit(0);
  const until = Date.now() + 100;
  while (Date.now() < until);
  setImmediate(spin);
})();`;

const burners = Array.from({ length: load }, () =>
  spawn(process.execPath, ['-e', BURNER], { stdio: ['pipe', 'ignore', 'inherit'] }),
);
let current: ChildProcess | undefined; // the running `npm test`, in its own process group

function stopBurners() {
  for (const burner of burners) if (burner.exitCode === null && burner.signalCode === null) burner.kill('SIGKILL');
}

function stopCurrent(signal: NodeJS.Signals): void {
  // The whole group: npm, vitest and what they started get the signal, as a Ctrl-C in a terminal would.
  if (current?.pid !== undefined && current.exitCode === null) process.kill(-current.pid, signal);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopCurrent(signal);
    stopBurners();
    process.exitCode = 130;
  });
}

interface RunResult {
  index: number;
  ok: boolean;
  code: number | string;
  seconds: number;
  log: string;
}

function runOnce(index: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const log = join(logDir, `run-${index}.log`);
    const out = createWriteStream(log);
    const started = process.hrtime.bigint();
    const child = spawn('npm', ['test'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.once('close', (code, signal) => {
      out.end();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ index, ok: code === 0, code: code ?? signal ?? 'unknown', seconds, log });
    });
  });
}

console.log(`test:stress: ${runs} × npm test with ${load} busy loop(s) on ${cores} core(s); logs in ${logDir}`);
const results: RunResult[] = [];
for (let index = 1; index <= runs && process.exitCode !== 130; index++) {
  const result = await runOnce(index);
  results.push(result);
  console.log(
    `  run ${index}/${runs}: ${result.ok ? 'pass' : `FAIL (exit ${result.code}, see ${result.log})`} in ${result.seconds.toFixed(1)} s`,
  );
}
stopBurners();

const passed = results.filter((result) => result.ok).length;
const times = results.map((result) => result.seconds);
console.log(
  `test:stress: ${passed}/${results.length} passed with ${load} busy loop(s); wall time min ${Math.min(...times).toFixed(1)} s, ` +
    `max ${Math.max(...times).toFixed(1)} s, total ${times.reduce((a, b) => a + b, 0).toFixed(1)} s`,
);
if (process.exitCode !== 130) process.exitCode = passed === runs ? 0 : 1;
