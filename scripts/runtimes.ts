// `npm run runtimes` (and part of `npm test`): the package as users get it, on every runtime they run
// it in. Packs the tarball (scripts/pack.ts), installs it into an empty project (no install-scripts
// warning allowed), checks it with publint and @arethetypeswrong/cli, then runs one consumer scenario
// (tools/kit/runtimes/scenario.ts) on Node 20/22/24, Deno, Bun, Chromium (an esbuild browser bundle, no
// Node polyfills, the default fetch) and workerd, all at once, each against its own loopback server
// (tools/kit/runtimes/mock.ts). Prints two lines, for example:
//   runtimes: node 20 ✓ 22 ✓ 24 ✓ · deno ✓ · bun ✓ · chromium ✓ · workerd ✓ (9 steps each; require() on each Node); 17 s
//   package: publint 0 problems, attw 0 problems (3 accepted: …), no scripts in the manifest, clean install
// The runtimes are binaries from npm packages in tools/portability (installed by `npm ci`).
import { type SpawnOptions, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { chromium } from 'playwright-core';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { CHROMIUM_ARGS, findChromium } from '../tools/kit/chromium.js';
import { packTarball } from '../tools/kit/pack.js';
import { root } from '../tools/kit/repo.js';
import { type ScenarioMock, startScenarioMock } from '../tools/kit/runtimes/mock.js';

const TOOLS = join(root, 'tools', 'portability', 'node_modules');
const NODE_MAJORS = [20, 22, 24];
const BINARIES: Record<string, string> & Record<'deno' | 'bun' | 'workerd', string> = {
  ...Object.fromEntries(NODE_MAJORS.map((major) => [`node ${major}`, join(TOOLS, `node${major}`, 'bin', 'node')])),
  deno: join(TOOLS, '@deno', 'linux-x64-glibc', 'deno'),
  bun: join(TOOLS, '@oven', 'bun-linux-x64', 'bin', 'bun'),
  workerd: join(TOOLS, '@cloudflare', 'workerd-linux-64', 'bin', 'workerd'),
};
/** Every leg ends by then, passed or not (a hung runtime must not hang `npm test`). */
const LEG_DEADLINE_MS = 90_000;
/** attw's remaining finding, a decision documented in README ("Runtimes, ESM and CommonJS, browsers"): the package is ESM only. */
const ACCEPTED_ATTW = new Set(['CJSResolvesToESM node16-cjs']);

interface Outcome {
  ok: boolean;
  steps?: number | undefined;
  detail?: string | undefined;
}

const running = new Set<ReturnType<typeof spawn>>();
/** A server holding a lifeline (stdin) stops when it closes; anything else is killed. */
const stop = (child: ReturnType<typeof spawn>) => (child.stdin ? child.stdin.end() : child.kill('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of running) stop(child);
    process.exit(130);
  });
}

/** Runs a command to completion (killed at the leg deadline); never rejects. */
function run(
  command: string,
  args: string[],
  options: SpawnOptions & { onSpawn?: (child: ReturnType<typeof spawn>) => void } = {},
): Promise<{ code: number; stdout: string; output: string }> {
  return new Promise((resolve) => {
    // A server started with onSpawn gets a stdin to hold (its lifeline) and a control pipe on fd 3.
    const child = spawn(command, args, {
      ...options,
      stdio: options.onSpawn ? ['pipe', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    options.onSpawn?.(child);
    let output = '';
    let stdout = '';
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    const deadline = setTimeout(() => stop(child), LEG_DEADLINE_MS);
    child.once('error', (error) => resolve({ code: -1, stdout, output: `${output}${error.message}` }));
    child.once('close', (code, signal) => {
      clearTimeout(deadline);
      running.delete(child);
      resolve({ code: code ?? -1, stdout, output: signal ? `${output}\n(killed by ${signal})` : output });
    });
  });
}

/** The last line a host printed: `{"ok":true,"steps":[…]}` or `{"ok":false,"error":"…"}`. */
function verdict({ code, stdout, output }: { code: number; stdout: string; output: string }): Outcome {
  try {
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '') as {
      ok: boolean;
      steps?: string[];
      error?: string;
    };
    return { ok: result.ok && code === 0, steps: result.steps?.length, detail: result.error ?? output };
  } catch {
    return { ok: false, detail: output.trim().slice(-3000) || `exited with ${code}` };
  }
}

// How each host reports: the scenario's steps, or the error, as the last line of its output.
const CLI_HOST = `import { runScenario } from './scenario.js';
const baseUrl = globalThis.Deno ? Deno.args[0] : process.argv[2];
const exit = (code) => (globalThis.Deno ? Deno.exit(code) : process.exit(code));
try {
  console.log(JSON.stringify({ ok: true, steps: await runScenario(baseUrl) }));
  exit(0);
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: String(error?.stack ?? error) }));
  exit(1);
}
`;
const WORKER_HOST = `import { runScenario } from './scenario.js';
export default {
  async fetch(request) {
    try {
      return Response.json({ ok: true, steps: await runScenario(new URL(request.url).searchParams.get('base')) });
    } catch (error) {
      return Response.json({ ok: false, error: String(error?.stack ?? error) });
    }
  },
};
`;
// CommonJS loads the ESM package with require() (Node 20.19+, 22.12+, 24).
const REQUIRE_HOST = `const core = require('cloudsoar-v3');
const helpers = require('cloudsoar-v3/helpers');
const { xml } = require('cloudsoar-v3/xml');
const client = core.createCloudSoarClient({ baseUrl: 'http://127.0.0.1:9', token: 'require-check' });
if (typeof client.GET !== 'function' || typeof helpers.paginate !== 'function' || typeof xml.onRequest !== 'function') throw new Error('require() gave incomplete modules');
console.log(JSON.stringify({ ok: true, steps: ['require'] }));
`;

/** The scenario's src/ imports, as the package entries a user imports (from package.json `exports`). */
async function packageImports(): Promise<Plugin> {
  const { name, exports } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, { import: string }>;
  };
  const bySource = new Map(
    Object.entries(exports).map(([subpath, target]) => [
      join(root, target.import.replace('./dist/', '')),
      name + subpath.slice(1),
    ]),
  );
  return {
    name: 'package-imports',
    setup(esbuild) {
      esbuild.onResolve({ filter: /\/src\/[\w-]+\.js$/ }, ({ path, resolveDir }) => {
        const specifier = bySource.get(join(resolveDir, path));
        return specifier ? { path: specifier, external: true } : undefined;
      });
    },
  };
}

/** The empty project with the tarball installed, the scenario and its hosts; the browser and worker bundles. */
async function prepareProject(work: string, tarball: string): Promise<{ project: string; installOutput: string }> {
  const project = join(work, 'consumer');
  await mkdir(project, { recursive: true });
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
    cwd: project,
  });
  if (install.code !== 0) throw new Error(`installing the tarball failed:\n${install.output}`);
  await build({
    entryPoints: [join(root, 'tools', 'kit', 'runtimes', 'scenario.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    outfile: join(project, 'scenario.js'),
    plugins: [await packageImports()],
    logLevel: 'error',
  });
  await writeFile(join(project, 'run.js'), CLI_HOST);
  await writeFile(join(project, 'require.cjs'), REQUIRE_HOST);
  await writeFile(join(project, 'worker-host.js'), WORKER_HOST);
  // As an application bundles it for the web: the installed package, platform browser, nothing polyfilled.
  const web = { bundle: true, format: 'esm', platform: 'browser', absWorkingDir: project, logLevel: 'error' } as const;
  await build({ ...web, entryPoints: ['scenario.js'], outfile: join(project, 'browser', 'scenario.js') });
  await build({
    ...web,
    entryPoints: ['worker-host.js'],
    outfile: join(project, 'worker', 'worker.js'),
    conditions: ['workerd', 'worker', 'browser'],
  });
  return { project, installOutput: install.output };
}

async function withMock<T>(
  files: Record<string, [string, string]>,
  work: (mock: ScenarioMock) => Promise<T>,
): Promise<T> {
  const mock = await startScenarioMock(files);
  try {
    return await work(mock);
  } finally {
    await mock.stop();
  }
}

async function cliLeg(binary: string, args: string[], project: string, env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  return withMock({}, async (mock) =>
    verdict(
      await run(binary, [...args, mock.url], {
        cwd: project,
        env: { PATH: process.env.PATH, HOME: project, NO_COLOR: '1', ...env },
      }),
    ),
  );
}

async function nodeLeg(major: number, project: string): Promise<Outcome> {
  const node = BINARIES[`node ${major}`]!;
  const [scenario, required] = await Promise.all([
    cliLeg(node, ['run.js'], project),
    cliLeg(node, ['require.cjs'], project),
  ]);
  if (!required.ok) return { ok: false, detail: `require(): ${required.detail}` };
  return scenario;
}

async function chromiumLeg(project: string): Promise<Outcome> {
  const executablePath = findChromium();
  if (!executablePath)
    return { ok: false, detail: 'Chromium not found: run `node scripts/ensure-chromium.ts` (npm test does).' };
  // The page comes from the mock's own origin, as an internal tool behind a same-origin proxy would (README, "In a browser").
  const files: Record<string, [string, string]> = {
    '/runtime/': ['text/html', '<!doctype html><title>runtime scenario</title>'],
    '/runtime/scenario.js': ['text/javascript', await readFile(join(project, 'browser', 'scenario.js'), 'utf8')],
  };
  return withMock(files, async (mock) => {
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: LEG_DEADLINE_MS });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(`${mock.url}/runtime/`);
      const result = await page.evaluate(async (baseUrl) => {
        try {
          const { runScenario } = (await import('/runtime/scenario.js' as string)) as {
            runScenario: (url: string) => Promise<string[]>;
          };
          return { ok: true, steps: await runScenario(baseUrl) };
        } catch (error) {
          return { ok: false, error: String((error as Error)?.stack ?? error) };
        }
      }, mock.url);
      return {
        ok: result.ok && problems.length === 0,
        steps: result.steps?.length,
        detail: [result.error, ...problems].filter(Boolean).join('\n'),
      };
    } finally {
      await browser.close();
    }
  });
}

async function workerdLeg(project: string): Promise<Outcome> {
  // Outbound fetches may reach loopback only (workerd refuses private addresses by default).
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (modules = [(name = "worker.js", esModule = embed "worker/worker.js")], compatibilityDate = "2026-11-01", globalOutbound = "loopback")),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
`;
  await writeFile(join(project, 'workerd.capnp'), config);
  return withMock({}, async (mock) => {
    let port: Promise<number> | undefined;
    let workerd: ReturnType<typeof spawn> | undefined;
    // workerd does not watch its parent: a shell holds the lifeline (stdin) and stops it when that
    // closes — at the end of the leg, or when this process dies, however it dies.
    const lifeline = '"$@" </dev/null & read -r _; kill $!; wait';
    const server = run('sh', ['-c', lifeline, 'sh', BINARIES.workerd, 'serve', 'workerd.capnp', '--control-fd=3'], {
      cwd: project,
      onSpawn(child) {
        workerd = child;
        // workerd says on its control fd where it listens: {"event":"listen","socket":"http","port":…}
        port = new Promise((resolve) => {
          let text = '';
          (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk) => {
            text += chunk;
            const listening = /"event":"listen"[^}]*"port":(\d+)/.exec(text);
            if (listening) resolve(Number(listening[1]));
          });
        });
      },
    });
    const answered = await Promise.race([
      port!.then((at) =>
        fetch(`http://127.0.0.1:${at}/?base=${encodeURIComponent(mock.url)}`).then((response) => response.text()),
      ),
      server.then((ended) => ({ ended })),
    ]);
    stop(workerd!);
    const ended = await server;
    if (typeof answered !== 'string') return { ok: false, detail: `workerd exited before answering:\n${ended.output}` };
    return verdict({ code: 0, stdout: answered, output: answered });
  });
}

async function packageChecks(
  tarball: string,
  project: string,
  installOutput: string,
): Promise<{ line: string; problems: string[] }> {
  const problems: string[] = [];
  const bytes = await readFile(tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer },
    level: 'warning',
  });
  for (const message of messages)
    problems.push(`publint ${message.type}: ${formatMessage(message, pkg) ?? message.code}`);
  const attw = await run(
    process.execPath,
    [join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js'), tarball, '--format', 'json'],
    { cwd: root },
  );
  let attwProblems: { kind: string; entrypoint: string; resolutionKind: string }[] = [];
  try {
    attwProblems = (JSON.parse(attw.output) as { analysis: { problems: typeof attwProblems } }).analysis.problems;
  } catch {
    problems.push(`attw did not run:\n${attw.output.slice(-2000)}`);
  }
  const unexplained = attwProblems.filter((problem) => !ACCEPTED_ATTW.has(`${problem.kind} ${problem.resolutionKind}`));
  for (const problem of unexplained)
    problems.push(`attw: ${problem.kind} for ${problem.entrypoint} under ${problem.resolutionKind}`);
  const manifest = JSON.parse(
    await readFile(join(project, 'node_modules', 'cloudsoar-v3', 'package.json'), 'utf8'),
  ) as { scripts?: object };
  if (manifest.scripts) problems.push(`the published package.json has scripts: ${JSON.stringify(manifest.scripts)}`);
  const installWarned = /install-scripts|prepare|postinstall/i.test(installOutput);
  if (installWarned) problems.push(`installing the tarball warned:\n${installOutput}`);
  const accepted = attwProblems.length - unexplained.length;
  return {
    line: `package: publint ${messages.length} problems, attw ${unexplained.length} problems (${accepted} accepted: node16 from CJS is ESM, loaded by require() — README), ${manifest.scripts ? 'SCRIPTS in the manifest' : 'no scripts in the manifest'}, ${installWarned ? 'install WARNED' : 'clean install'}`,
    problems,
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const missing = Object.values(BINARIES).filter((binary) => !existsSync(binary));
  if (missing.length > 0) {
    console.error(
      `runtimes: tools/portability is not installed (${missing[0]} is missing). Run \`npm ci\` (its prepare step installs it).`,
    );
    process.exit(2);
  }
  const work = await mkdtemp(join(tmpdir(), 'cloudsoar-runtimes-'));
  try {
    const tarball = await packTarball(work);
    const { project, installOutput } = await prepareProject(work, tarball);
    const legs: [string, Promise<Outcome>][] = [
      ...NODE_MAJORS.map((major) => [`node ${major}`, nodeLeg(major, project)] as [string, Promise<Outcome>]),
      [
        'deno',
        cliLeg(
          BINARIES.deno,
          ['run', '--allow-net=127.0.0.1', '--no-prompt', '--no-lock', '--cached-only', 'run.js'],
          project,
          { DENO_DIR: join(work, 'deno'), DENO_NO_UPDATE_CHECK: '1' },
        ),
      ],
      ['bun', cliLeg(BINARIES.bun, ['--no-install', 'run.js'], project, { BUN_INSTALL_CACHE_DIR: join(work, 'bun') })],
      ['chromium', chromiumLeg(project)],
      ['workerd', workerdLeg(project)],
    ];
    const [checks, ...outcomes] = await Promise.all([
      packageChecks(tarball, project, installOutput),
      ...legs.map(([, outcome]) =>
        outcome.catch((error: Error): Outcome => ({ ok: false, detail: String(error.stack ?? error) })),
      ),
    ]);
    const results = legs.map(([name], index) => ({ name, ...outcomes[index]! }));
    for (const { name, ok, detail } of results) if (!ok) console.error(`\nruntimes: ${name} failed\n${detail}`);
    for (const problem of checks.problems) console.error(`\n${problem}`);
    const mark = (name: string) => `${results.find((result) => result.name === name)?.ok ? '✓' : '✗'}`;
    const steps = [...new Set(results.map((result) => result.steps ?? '?'))].join('/');
    console.log(
      `runtimes: node ${NODE_MAJORS.map((major) => `${major} ${mark(`node ${major}`)}`).join(' ')} · deno ${mark('deno')} · bun ${mark('bun')} · chromium ${mark('chromium')} · workerd ${mark('workerd')} (${steps} steps each; require() on each Node); ${Math.round((performance.now() - started) / 1000)} s`,
    );
    console.log(checks.line);
    process.exitCode = results.every((result) => result.ok) && checks.problems.length === 0 ? 0 : 1;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
