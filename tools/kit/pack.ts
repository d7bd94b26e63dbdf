// The one way this package's tarball is made (after `npm run build`), for `npm run package`, the
// package tests and `npm run runtimes`. `npm pack` in the repository is refused (see
// package.json `prepack`): its manifest has the development `prepare`, which npm 11 names in an
// install-scripts warning to every consumer. The published manifest is therefore written, not
// copied: the fields below and nothing else, from a staging folder packed with no scripts run.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { root } from './repo.js';

/** What a consumer's install and module resolution read; scripts and devDependencies are not among them. */
export const PUBLISHED_FIELDS = [
  'name',
  'version',
  'description',
  'license',
  'type',
  'engines',
  'main',
  'types',
  'exports',
  'typesVersions',
  'files',
  'sideEffects',
  'keywords',
  'repository',
  'homepage',
  'bugs',
  'dependencies',
  'peerDependencies',
] as const;

/** The manifest as published: this repository's package.json cut down to `PUBLISHED_FIELDS`. */
export function publishedManifest(manifest: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    PUBLISHED_FIELDS.filter((field) => manifest[field] !== undefined).map((field) => [field, manifest[field]]),
  );
}

/** Packs the built package into `destination` (made if missing) and returns the tarball's path. */
export async function packTarball(destination: string): Promise<string> {
  if (!existsSync(join(root, 'dist', 'src', 'index.js')))
    throw new Error('dist/src is missing: run `npm run build` first.');
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { files: string[] } & Record<
    string,
    unknown
  >;
  const staging = await mkdtemp(join(tmpdir(), 'cloudsoar-pack-'));
  try {
    for (const file of manifest.files) await cp(join(root, file), join(staging, file), { recursive: true });
    await writeFile(join(staging, 'package.json'), `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`);
    await mkdir(destination, { recursive: true });
    const { stdout } = await promisify(execFile)(
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', resolve(destination)],
      { cwd: staging },
    );
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    return join(resolve(destination), filename);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
