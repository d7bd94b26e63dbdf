// `npm run test:stress -- N`: runs the whole `npm test` N times (default 3) while one busy-loop
// process per core burns the CPU, then reports each run's result and wall time. It answers the
// question "does the suite hold on a shared, loaded CI machine?", which an idle run cannot.
//
// The load is bounded: one burner per core (each at most one core), each exits by itself after
// STRESS_MAX_MINUTES or as soon as this script goes away (its stdin pipe closes), and
// all are stopped when the runs end or on Ctrl-C. Logs of each run go to a temporary directory.
// STRESS_MAX_MINUTES defaults to 10 per run: a loaded run takes 2–4 minutes.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../tools/kit/repo.js';

const runs = Number(process.argv[2] ?? 3);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`test:stress: the number of runs must be a positive integer, got ${JSON.stringify(process.argv[2])}`);
  process.exit(2);
}
const cores = availableParallelism();
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

const burners = Array.from({ length: cores }, () => spawn(process.execPath, ['-e', BURNER], { stdio: ['pipe', 'ignore', 'inherit'] }));
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

console.log(`test:stress: ${runs} × npm test with ${cores} burner process(es) loading ${cores} core(s); logs in ${logDir}`);
const results: RunResult[] = [];
for (let index = 1; index <= runs && process.exitCode !== 130; index++) {
  const result = await runOnce(index);
  results.push(result);
  console.log(`  run ${index}/${runs}: ${result.ok ? 'pass' : `FAIL (exit ${result.code}, see ${result.log})`} in ${result.seconds.toFixed(1)} s`);
}
stopBurners();

const passed = results.filter((result) => result.ok).length;
const times = results.map((result) => result.seconds);
console.log(
  `test:stress: ${passed}/${results.length} passed under load; wall time min ${Math.min(...times).toFixed(1)} s, ` +
    `max ${Math.max(...times).toFixed(1)} s, total ${times.reduce((a, b) => a + b, 0).toFixed(1)} s`,
);
if (process.exitCode !== 130) process.exitCode = passed === runs ? 0 : 1;
