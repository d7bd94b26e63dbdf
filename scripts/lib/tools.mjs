// Paths and process helpers shared by the build scripts.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));

/** Entry scripts of the CLI tools we run, resolved from node_modules rather than a shell PATH. */
const TOOL_ENTRIES = {
  redocly: () => join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js'),
  prism: () => join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js'),
};

export function toolEntry(name) {
  const entry = TOOL_ENTRIES[name];
  if (!entry) throw new Error(`unknown tool ${name}`);
  return entry();
}

/** The environment our tools run in: Redocly's telemetry off, its Node-version banner quiet. */
export const toolEnv = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };

/** Runs a tool to completion; rejects with its output when it exits non-zero. */
export function runTool(name, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [toolEntry(name), ...args], { cwd: root, env: toolEnv, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${name} ${args.join(' ')} exited with ${code}\n${output}`))));
  });
}
