// The breaking-change gate: the working tree's bundle (generated/openapi.yaml) against the last
// release's bundle (releases/<version>/openapi.yaml). It fails when a breaking change comes without
// the version bump it needs, or when package.json and info.version disagree; additions and edits
// pass and are reported as what the next release will need. `npm run gate`; `npm test` runs it
// through tests/release/gate.test.ts.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { parse } from 'yaml';
import { root } from '../repo.js';
import {
  type Bump,
  bumpFor,
  type Classification,
  classify,
  formatChanges,
  increment,
  plainVersion,
} from './classify.js';

export const RELEASES_DIR = join(root, 'releases');
export const releaseBundle = (version: string, dir = RELEASES_DIR) => join(dir, version, 'openapi.yaml');

/** The released versions (directories of releases/ named X.Y.Z), oldest first. */
export async function releasedVersions(dir = RELEASES_DIR): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((name) => semver.valid(name) === name).sort(semver.compare);
}

/** The newest release strictly before `version` (or the newest of all), or undefined. */
export function releaseBefore(versions: string[], version?: string): string | undefined {
  return versions.filter((candidate) => version === undefined || semver.lt(candidate, version)).at(-1);
}

/** package.json's version, spec/openapi.yaml's and generated/openapi.yaml's info.version. */
export async function versionsInTree(base = root): Promise<{ packageJson: string; spec: string; bundle: string }> {
  const [pkg, spec, bundle] = await Promise.all(
    ['package.json', 'spec/openapi.yaml', 'generated/openapi.yaml'].map((file) => readFile(join(base, file), 'utf8')),
  );
  return {
    packageJson: JSON.parse(pkg!).version,
    spec: String(parse(spec!).info?.version),
    bundle: String(parse(bundle!).info?.version),
  };
}

export interface GateVerdict {
  ok: boolean;
  /** The bump the next release needs over `lastRelease` (0.x: breaking → minor). */
  needed: Bump;
  /** The lowest version that may carry these changes. */
  requiredVersion: string;
  report: string;
}

/**
 * Decides on a classification. `version` is the tree's version: equal to `lastRelease` while
 * unreleased changes accumulate, or already bumped. Only breaking changes must come with their bump;
 * additions and edits wait for the next `npm run release`.
 */
export function judge(result: Classification, lastRelease: string, version: string): GateVerdict {
  const needed = bumpFor(result.impact, lastRelease);
  const requiredVersion = increment(lastRelease, needed);
  const breaking = result.changes.filter((change) => change.breaking);
  const list = formatChanges(result, 30);
  const head = `gate: ${version} against release ${lastRelease}: ${breaking.length} breaking, ${result.changes.filter((change) => change.impact === 'minor').length} additive, ${result.changes.filter((change) => change.impact === 'patch').length} patch-level changes, ${result.evidence.length} evidence changes (redocly diff ${result.diffSeconds.toFixed(1)} s)`;
  if (semver.lt(version, lastRelease))
    return {
      ok: false,
      needed,
      requiredVersion,
      report: `${head}\nversion ${version} is older than the last release ${lastRelease}`,
    };
  if (breaking.length > 0 && semver.lt(version, requiredVersion)) {
    const why = semver.major(lastRelease) === 0 ? ' (0.x: a breaking change raises the minor version)' : '';
    return {
      ok: false,
      needed,
      requiredVersion,
      report: `${head}\nFAIL: breaking changes need version ≥ ${requiredVersion}${why}, the tree says ${version}. Undo them, or run \`npm run release -- ${needed}\`.\n${list}`,
    };
  }
  const next = needed === 'none' ? 'nothing to release' : `next release: ${needed} (≥ ${requiredVersion})`;
  return { ok: true, needed, requiredVersion, report: `${head}\nok: ${next}${list ? `\n${list}` : ''}` };
}

/** The gate on the working tree at `base` (the repository by default). */
export async function runGate(base = root): Promise<GateVerdict> {
  const versions = await versionsInTree(base);
  const version = plainVersion(versions.packageJson, 'package.json version');
  if (versions.spec !== version || versions.bundle !== version) {
    return {
      ok: false,
      needed: 'none',
      requiredVersion: version,
      report: `gate: versions disagree: package.json ${version}, spec/openapi.yaml info.version ${versions.spec}, generated/openapi.yaml ${versions.bundle}; they move together (npm run release sets both, then npm run generate)`,
    };
  }
  const releasesDir = join(base, 'releases');
  const lastRelease = releaseBefore(await releasedVersions(releasesDir), semver.inc(version, 'patch') ?? undefined);
  if (!lastRelease)
    return {
      ok: false,
      needed: 'none',
      requiredVersion: version,
      report: `gate: no release at or before ${version} under releases/`,
    };
  const result = await classify(releaseBundle(lastRelease, releasesDir), join(base, 'generated', 'openapi.yaml'));
  return judge(result, lastRelease, version);
}
