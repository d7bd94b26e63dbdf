// How the CLIs run the tools the project depends on (execa; Node 22+, the toolchain's Node).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { root, type ToolName, toolEntry, toolEnv } from './repo.js';
import type { Json } from './spec.js';

/** Runs a tool on this Node to completion; rejects with its output when it exits non-zero. */
export async function runTool(name: ToolName, args: string[]): Promise<string> {
  const result = await execa(process.execPath, [toolEntry(name), ...args], {
    cwd: root,
    env: toolEnv,
    all: true,
    reject: false,
  });
  if (result.exitCode !== 0) throw new Error(`${name} ${args.join(' ')} exited with ${result.exitCode}\n${result.all}`);
  return result.all;
}

/** A split description (its root file) as one document, every external `$ref` made a component: Redocly's bundle. */
export async function bundleDescription(rootFile: string): Promise<Json> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudsoar-bundle-'));
  try {
    const out = join(dir, 'openapi.yaml');
    await runTool('redocly', ['bundle', resolve(root, rootFile), '--output', out, '--lint-config', 'off']);
    return parse(await readFile(out, 'utf8'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
