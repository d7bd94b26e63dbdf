// `npm run portability` (and part of `npm test`): the bundle as adopters meet it, checked with tools
// this project did not write, and the client's own tests on every supported Node. Prints one line:
//   portability: redocly 0 problems, spectral 0 errors, swagger-parser ok, readme-parser ok, hey-api tsc ok, kubb ✓ 6 s, … openapi-backend ✓ 4 s; boolean-schema mutant refused; node 20 ✓ 22 ✓ 24 ✓ (…)
// The tools and Node binaries come from tools/portability (installed by `npm ci`, see package.json
// `prepare`), so nothing is downloaded here. Their output is shown only when something fails.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { execa, type Options } from 'execa';
import { parse, stringify } from 'yaml';
import { NODE_MAJORS, nodeBinary } from '../tools/kit/node-binaries.js';
import { startPrism } from '../tools/kit/prism.js';
import { root, toolEntry, toolEnv } from '../tools/kit/repo.js';

const TOOLS = join(root, 'tools', 'portability');
const TOOL_NODE = nodeBinary(24); // hey-api needs Node >= 22.18, swagger-parser >= 22.19
const SPECTRAL = join(TOOLS, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js');
const BUNDLE = join(root, 'generated', 'openapi.yaml');
/** vitest's arguments in `npm run test:client` (one list of the client's tests, in package.json). */
function clientTestArguments(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return scripts['test:client']!.replace(/^vitest /, '').split(' ');
}

interface Part {
  part: string;
  ok: boolean;
  detail: string;
  rules?: string[];
  tests?: string | undefined;
}

/** Runs a command to completion and collects its output; never rejects (execa stops it with this process). */
async function run(
  command: string,
  args: string[],
  options: Options = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await execa(command, args, { cwd: root, env: toolEnv, stdin: 'ignore', reject: false, ...options });
  return {
    code: result.exitCode ?? -1,
    stdout: String(result.stdout ?? ''),
    stderr: `${result.stderr ?? ''}${result.failed && result.exitCode === undefined ? result.message : ''}`,
  };
}

const tail = (text: string, lines = 40) => text.trim().split('\n').slice(-lines).join('\n');

/** Redocly with this project's rules (redocly.yaml): the portability rules hold on what is shipped. */
async function redocly(file: string): Promise<Part> {
  const { code, stdout, stderr } = await run(process.execPath, [toolEntry('redocly'), 'lint', file, '--format=json']);
  let problems: { ruleId: string; message: string; location?: { pointer?: string }[] }[];
  try {
    problems = JSON.parse(stdout).problems;
  } catch {
    return { part: 'redocly failed to run', ok: false, detail: tail(stderr) };
  }
  const rules = [...new Set(problems.map((problem) => problem.ruleId))];
  return {
    part: `redocly ${problems.length} problems`,
    ok: code === 0 && problems.length === 0,
    detail: problems.map((p) => `${p.ruleId}: ${p.message} (${p.location?.[0]?.pointer})`).join('\n'),
    rules,
  };
}

/** Spectral's CLI with the shipped .spectral.yaml, which is the stock `spectral:oas` ruleset only. */
async function spectral(file: string): Promise<Part> {
  const { stdout, stderr } = await run(TOOL_NODE, [
    SPECTRAL,
    'lint',
    file,
    '--ruleset',
    join(root, '.spectral.yaml'),
    '--format',
    'json',
    '--quiet',
    '--fail-severity',
    'error',
  ]);
  let results: { severity: number; code: string; message: string; path: string[] }[];
  try {
    results = JSON.parse(stdout || '[]');
  } catch {
    return { part: 'spectral failed to run', ok: false, detail: tail(`${stdout}\n${stderr}`) };
  }
  const errors = results.filter((result) => result.severity === 0);
  const warnings = results.filter((result) => result.severity === 1).length; // trailing slashes, no contact: see README
  return {
    part: `spectral ${errors.length} errors (${warnings} warnings)`,
    ok: errors.length === 0,
    detail: errors
      .map((e) => `${e.code}: ${e.message} (${e.path.join('.')})`)
      .slice(0, 20)
      .join('\n'),
  };
}

/** swagger-parser and readme-parser validate; hey-api generates a client that must compile under --strict. */
async function parsersAndGenerator(file: string, work: string): Promise<Part[]> {
  const { code, stdout, stderr } = await run(TOOL_NODE, [join(TOOLS, 'check-bundle.mjs'), file, join(work, 'hey-api')]);
  let verdicts: Record<string, { ok: boolean; detail: string }>;
  try {
    verdicts = JSON.parse(stdout.trim().split('\n').pop() ?? '');
  } catch {
    return [{ part: 'parsers failed to run', ok: false, detail: tail(`${stdout}\n${stderr}`) }];
  }
  return Object.entries(verdicts).map(([tool, { ok, detail }]) => ({
    part: `${tool} ${ok ? 'ok' : 'FAILED'}`,
    ok: ok && code === 0,
    detail,
  }));
}

/**
 * The tools adopters reached for next (tools/portability/check-adopters.ts), in two processes so
 * that they share both cores: kubb and openapi-zod-client (generate, one strict tsc, import and
 * parse the examples), and Postman's converter, a YAML 1.1 load, Scalar and openapi-backend.
 */
async function adopters(file: string, group: string): Promise<Part[]> {
  // Inside tools/portability: the generated code imports zod, @zodios/core and kubb's fetch client from there.
  const work = await mkdtemp(join(TOOLS, `.work-${group}-`));
  try {
    const { code, stdout, stderr } = await run(
      TOOL_NODE,
      ['--disable-warning=ExperimentalWarning', join(TOOLS, 'check-adopters.ts'), file, work, group],
      { cwd: work },
    );
    let verdicts: Record<string, { ok: boolean; detail: string; seconds: number }>;
    try {
      verdicts = JSON.parse(stdout.trim().split('\n').pop() ?? '');
    } catch {
      return [{ part: `${group} failed to run`, ok: false, detail: tail(`${stdout}\n${stderr}`) }];
    }
    return Object.entries(verdicts).map(([tool, { ok, detail, seconds }]) => ({
      part: `${tool} ${ok ? '✓' : '✗'} ${seconds} s`,
      ok: ok && code === 0,
      detail,
    }));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function checkBundle(file: string): Promise<Part[]> {
  const work = await mkdtemp(join(tmpdir(), 'cloudsoar-portability-'));
  try {
    return (
      await Promise.all([
        redocly(file),
        spectral(file),
        parsersAndGenerator(file, work),
        adopters(file, 'generators'),
        adopters(file, 'readers'),
      ])
    ).flat();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The client's unit, package and examples tests (`npm run test:client`) on one Node, against
 * `mockUrl`, its files one by one (the Nodes run side by side): vitest started by that Node, with
 * it first on PATH for what the tests start (`npm run` would put the toolchain's Node,
 * node_modules/.bin/node, first instead).
 */
async function clientTestsOn(major: number, mockUrl: string): Promise<Part> {
  const node = nodeBinary(major);
  const env = {
    ...process.env,
    PATH: `${dirname(node)}${delimiter}${process.env.PATH}`,
    NO_COLOR: '1',
    CLOUDSOAR_SHARED_MOCK_URL: mockUrl,
  };
  const { code, stdout, stderr } = await run(
    node,
    [toolEntry('vitest'), ...clientTestArguments(), '--reporter=dot', '--maxWorkers=1'],
    { env },
  );
  const tests = /Tests\s+(\d+) passed/.exec(stdout)?.[1];
  return {
    part: `${major} ${code === 0 ? '✓' : '✗'}`,
    ok: code === 0,
    tests,
    detail: tail(`${stdout}\n${stderr}`, 60),
  };
}

/**
 * Every Node at once (the client's tests hold no timing bound a busy machine breaks), sharing one
 * Prism: `npm test`'s (CLOUDSOAR_SHARED_MOCK_URL), else one started here.
 */
async function matrix(): Promise<Part[]> {
  const shared = process.env.CLOUDSOAR_SHARED_MOCK_URL;
  const mock = shared ? undefined : await startPrism();
  try {
    return await Promise.all(NODE_MAJORS.map((major) => clientTestsOn(major, shared ?? mock!.url)));
  } finally {
    await mock?.stop();
  }
}

/** The check must be able to fail: the bundle with a boolean schema put back must be refused. */
async function booleanSchemaMutant(): Promise<Part> {
  const work = await mkdtemp(join(tmpdir(), 'cloudsoar-mutant-'));
  try {
    const document = parse(await readFile(BUNDLE, 'utf8'));
    document.components.schemas.IncidentCreateFromTemplate.properties.incident_type = false;
    const file = join(work, 'openapi.yaml');
    await writeFile(file, stringify(document, { aliasDuplicateObjects: false }));
    // The stock tools accept boolean schemas (openapi-python-client, which refuses them, is not on
    // npm), so the project's rule is the part of the check that must refuse it.
    const result = await redocly(file);
    const refused = !result.ok && result.rules?.includes('cloudsoar/no-boolean-schema') === true;
    return {
      part: `boolean-schema mutant ${refused ? 'refused' : 'ACCEPTED'}`,
      ok: refused,
      detail: refused
        ? ''
        : `The bundle with \`incident_type: false\` was not refused by cloudsoar/no-boolean-schema.\n${result.detail}`,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function main() {
  const started = performance.now();
  const missing = [TOOL_NODE, SPECTRAL, ...NODE_MAJORS.map(nodeBinary)].filter((file) => !existsSync(file));
  if (missing.length > 0) {
    console.error(
      `portability: tools/portability is not installed (${missing[0]} is missing). Run \`npm ci\` (its prepare step installs them).`,
    );
    process.exit(2);
  }
  const [bundle, mutant, nodes] = await Promise.all([checkBundle(BUNDLE), booleanSchemaMutant(), matrix()]);
  const failed = [...bundle, mutant, ...nodes].filter((result) => !result.ok);
  for (const { part, detail } of failed) console.error(`\nportability: ${part}\n${detail}`);
  const counts = [...new Set(nodes.map((result) => result.tests ?? '?'))].join('/');
  console.log(
    `portability: ${bundle.map((r) => r.part).join(', ')}; ${mutant.part}; node ${nodes.map((r) => r.part).join(' ')} (${counts} client tests each); ${Math.round((performance.now() - started) / 1000)} s`,
  );
  process.exit(failed.length > 0 ? 1 : 0);
}

await main();
