// How the CLIs run the tools the project depends on (execa; Node 22+, the toolchain's Node).
import { execa } from 'execa';
import { root, type ToolName, toolEntry, toolEnv } from './repo.js';

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
