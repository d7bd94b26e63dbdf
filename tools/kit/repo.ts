// Where the repository and its tools are. Free of execa, like everything the Node 20 client leg
// loads (the Prism launcher, the spec walk): execa needs Node 22.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
/** The bundled description every tool reads (made by `npm run generate`). */
export const BUNDLED_SPEC = join(root, 'generated', 'openapi.yaml');
const require = createRequire(join(root, 'package.json'));

/** Entry scripts of the CLI tools we run, resolved from node_modules rather than a shell PATH. */
const TOOL_ENTRIES = {
  redocly: () => join(dirname(require.resolve('@redocly/cli/package.json')), 'bin', 'cli.js'),
  prism: () => join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js'),
  tsc: () => join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc'),
  vitest: () => join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs'),
} as const;
export type ToolName = keyof typeof TOOL_ENTRIES;

export function toolEntry(name: ToolName): string {
  return TOOL_ENTRIES[name]();
}

/** The environment our tools run in: Redocly's telemetry off, its update notice quiet. */
export const toolEnv: NodeJS.ProcessEnv = {
  ...process.env,
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
};
