// `npm test`: every check CI runs, as phases run side by side where their inputs allow (the
// machinery is tools/kit/phases.ts), each one's output printed as one block when it ends, then a
// table of each phase's wall and CPU seconds. Exits non-zero when any phase fails; a phase whose
// prerequisite failed is skipped, not run.
//
// Adding a check is one line in PHASES. A `script` runs a package.json script without npm's own
// start-up (~0.4 CPU s each). CPU seconds matter more than wall seconds on a shared machine: with
// C cores, the CPU total / C is the floor of the wall time.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, join } from 'node:path';
import { type Phase, phaseTable, processTreeCpuSeconds, runPhases, stopPhases } from '../tools/kit/phases.js';
import { type RunningPrism, startPrism } from '../tools/kit/prism.js';
import { root } from '../tools/kit/repo.js';

interface PhaseLine {
  name: string;
  /** A package.json script, or a shell command. */
  script?: string;
  command?: string;
  /** Phases that must have passed first (their outputs are this phase's inputs). */
  after?: string[];
  /** Gets the run's one Prism mock (CLOUDSOAR_SHARED_MOCK_URL) instead of starting its own. */
  mock?: true;
}

// In order of need: vitest, the longest phase, starts as soon as the build, the docs and the
// test machines' packages are there; the checks that nothing waits for take the slots left over.
const PHASES: PhaseLine[] = [
  { name: 'build', script: 'build' },
  { name: 'docs', script: 'docs' },
  { name: 'ensure-chromium', command: 'tsx scripts/ensure-chromium.ts' },
  { name: 'ensure-python', command: 'tsx scripts/ensure-python.ts', after: ['ensure-chromium'] },
  { name: 'ensure-redis-server', command: 'tsx scripts/ensure-redis-server.ts', after: ['ensure-python'] },
  {
    name: 'vitest',
    script: 'test:suite',
    after: ['docs', 'build', 'ensure-chromium', 'ensure-python', 'ensure-redis-server'],
    mock: true,
  },
  { name: 'generate:check', script: 'generate:check' },
  { name: 'portability', script: 'portability', after: ['build'], mock: true },
  { name: 'runtimes', script: 'runtimes', after: ['build'] },
  { name: 'typecheck', script: 'typecheck' },
  { name: 'lint', script: 'lint' },
  { name: 'lint:code', script: 'lint:code' },
  { name: 'contract summary', command: 'tsx scripts/contract-summary.ts', after: ['vitest'] },
];

const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;

// One Prism for every phase that calls the mock (a start costs ~3 CPU s; it keeps no state),
// started at once so that it comes up while the first phases run.
const mock: Promise<RunningPrism> | undefined = PHASES.some((line) => line.mock) ? startPrism() : undefined;
mock?.catch(() => {}); // reported by the phases that need it

const phases: Phase[] = PHASES.map((line) => {
  const command = line.script ? scripts[line.script] : line.command;
  if (!command) throw new Error(`phase ${line.name}: package.json has no script ${line.script}`);
  return {
    name: line.name,
    command,
    ...(line.after && { after: line.after }),
    ...(line.mock && { env: async () => ({ CLOUDSOAR_SHARED_MOCK_URL: (await mock!).url }) }),
  };
});

let interrupted = false;
// `on`, not `once`: Ctrl-C reaches this process more than once (from the terminal, and relayed by npm and tsx).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = true;
    stopPhases(signal);
  });
}

const started = performance.now();
const outcomes = await runPhases(phases, {
  // Phases mostly wait on their own children (vitest workers, Prism, Chromium): one more than the cores.
  concurrency: availableParallelism() + 1,
  cwd: root,
  env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH}` },
  write: (text) => process.stdout.write(text),
});
await (await mock?.catch(() => undefined))?.stop();
console.log(`\n${phaseTable(outcomes, (performance.now() - started) / 1000, processTreeCpuSeconds())}`);
process.exitCode = interrupted ? 130 : outcomes.every((outcome) => outcome.status === 'pass') ? 0 : 1;
