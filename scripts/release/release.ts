// `npm run release -- <major|minor|patch|X.Y.Z>`: cuts a release locally and publishes nothing.
// 1. regenerates and classifies the changes since the previous release (refuses a version too low
//    for them), 2. sets package.json's version and spec/openapi.yaml's info.version, regenerates,
// 3. keeps the bundle as releases/<version>/openapi.yaml (the next gate's baseline) with the list of
//    observation records, 4. writes the CHANGELOG.md entry, 5. builds the tarball and a zip of the
//    offline docs under dist/release/, 6. runs the gate. Naming an existing version cuts it again
//    against the release before it (its entry and bundle are replaced).
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';
import semver from 'semver';
import { loadRecords } from '../../tools/kit/evidence-records.js';
import { packTarball } from '../../tools/kit/pack.js';
import { renderEntry, writeEntry } from '../../tools/kit/release/changelog.js';
import { bumpFor, classify, formatChanges, increment, plainVersion } from '../../tools/kit/release/classify.js';
import { RELEASES_DIR, releaseBefore, releaseBundle, releasedVersions, runGate } from '../../tools/kit/release/gate.js';
import { root } from '../../tools/kit/repo.js';

const USAGE = 'usage: npm run release -- <major|minor|patch|X.Y.Z>   (an existing X.Y.Z is cut again)';
const BUNDLE = join(root, 'generated', 'openapi.yaml');
const OUT = join(root, 'dist', 'release');

class ReleaseError extends Error {}

function npm(...args: string[]): void {
  const result = spawnSync('npm', args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new ReleaseError(`npm ${args.join(' ')} failed (exit ${result.status})`);
}

/** The target version and the release it is compared with. */
async function plan(argument: string | undefined): Promise<{ version: string; previous: string }> {
  if (!argument) throw new ReleaseError(USAGE);
  const released = await releasedVersions();
  const last = released.at(-1);
  if (!last) throw new ReleaseError(`no release under ${relative(root, RELEASES_DIR)}/ to compare with`);
  const version = ['major', 'minor', 'patch'].includes(argument)
    ? increment(last, argument as 'major' | 'minor' | 'patch')
    : plainVersion(argument, 'the release version');
  const previous = releaseBefore(released, version);
  if (!previous)
    throw new ReleaseError(`${version} is not newer than any release under releases/ (oldest: ${released[0]})`);
  return { version, previous };
}

/** Sets info.version in spec/openapi.yaml (its one line, so the file keeps its layout) and package.json's (and the lockfile's) version. */
async function setVersion(version: string): Promise<void> {
  const specFile = join(root, 'spec', 'openapi.yaml');
  const spec = await readFile(specFile, 'utf8');
  const updated = spec.replace(/^(info:\n(?: {2}.*\n)*? {2}version: ).*$/m, `$1${version}`);
  if (updated === spec && !spec.includes(`  version: ${version}\n`))
    throw new ReleaseError('spec/openapi.yaml: no info.version line to set');
  await writeFile(specFile, updated);
  npm('version', version, '--no-git-tag-version', '--allow-same-version');
}

async function main(): Promise<void> {
  const { version, previous } = await plan(process.argv[2]);
  console.log(`release ${version} (compared with ${previous})`);

  npm('run', 'generate');
  const result = await classify(releaseBundle(previous), BUNDLE);
  const needed = bumpFor(result.impact, previous);
  const lowest = increment(previous, needed);
  if (semver.lt(version, lowest))
    throw new ReleaseError(
      `the changes since ${previous} need ≥ ${lowest} (${needed}); ${version} is too low:\n${formatChanges(result, 30)}`,
    );

  await setVersion(version);
  npm('run', 'generate');

  const dir = join(RELEASES_DIR, version);
  await mkdir(dir, { recursive: true });
  await copyFile(BUNDLE, join(dir, 'openapi.yaml'));
  const records = (await loadRecords()).map(({ key }) => key);
  await writeFile(join(dir, 'evidence-records.json'), `${JSON.stringify(records, null, 2)}\n`);
  const before: string[] = JSON.parse(
    await readFile(join(RELEASES_DIR, previous, 'evidence-records.json'), 'utf8').catch(() => '[]'),
  );
  const entry = renderEntry({
    version,
    previous,
    date: new Date().toISOString().slice(0, 10),
    result,
    newRecords: records.filter((key) => !before.includes(key)),
  });
  await writeEntry(join(root, 'CHANGELOG.md'), version, entry);

  npm('run', 'build');
  npm('run', 'docs');
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const tarball = await packTarball(OUT);
  const zip = join(OUT, `cloudsoar-v3-docs-${version}.zip`);
  const html = await readFile(join(root, 'dist', 'docs', 'index.html'));
  await writeFile(zip, zipSync({ [`cloudsoar-v3-docs-${version}/index.html`]: html }, { level: 9, mtime: new Date() }));

  const gate = await runGate();
  console.log(gate.report);
  if (!gate.ok) throw new ReleaseError('the gate failed after the release was written');
  console.log(`
wrote CHANGELOG.md (${version}), releases/${version}/, ${relative(root, tarball)}, ${relative(root, zip)}
next: commit, tag v${version} and push; CI publishes with \`npm publish --provenance\` (nothing was published)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ReleaseError ? `release: ${error.message}` : error);
  process.exitCode = 1;
});
