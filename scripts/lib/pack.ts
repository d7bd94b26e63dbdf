// The one place the package is packed. `npm pack` runs the package's own pack lifecycle and writes
// the tarball a user would install; callers get its path. (Should packing change, e.g. to leave
// `prepare` out of the published manifest, it changes here.)
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from './tools.mjs';

/** Packs the package (dist/ must be built) into `destination`; resolves to the tarball's path. */
export async function packTarball(destination: string): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--json', '--pack-destination', destination], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  const report = JSON.parse(stdout.slice(Math.max(0, stdout.search(/^\[$/m)))) as { filename: string }[];
  const file = report[0]?.filename;
  if (!file) throw new Error(`npm pack reported no tarball:\n${stdout}`);
  return join(destination, file);
}
