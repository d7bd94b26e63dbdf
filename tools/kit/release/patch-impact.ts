// What applying a spec/ patch (e.g. the one `npm run reconcile -- <ref> --patch FILE` writes) means
// for the version: the patch applied to a temporary copy of spec/, both copies bundled with Redocly
// the same way, the two bundles classified as the gate does.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bundleDescription } from '../processes.js';
import { root } from '../repo.js';
import { type Bump, bumpFor, type Classification, classifyDocuments, formatChanges, increment } from './classify.js';

export interface PatchImpact {
  result: Classification;
  /** The bump applying the patch implies from `version`. */
  bump: Bump;
  version: string;
  nextVersion: string;
  /** A few lines for the terminal. */
  summary: string;
}

/** Classifies `patch` (a `git apply -p1` patch of spec/) against `specDir`; `version` is the tree's (package.json's by default). */
export async function impactOfPatch(
  patch: string,
  specDir = join(root, 'spec'),
  version?: string,
): Promise<PatchImpact> {
  const current =
    version ?? (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const work = await mkdtemp(join(tmpdir(), 'cloudsoar-patch-impact-'));
  try {
    await cp(specDir, join(work, 'spec'), { recursive: true });
    await writeFile(join(work, 'change.patch'), patch);
    await promisify(execFile)('git', ['apply', '-p1', 'change.patch'], { cwd: work });
    const [before, after] = await Promise.all([
      bundleDescription(join(specDir, 'openapi.yaml')),
      bundleDescription(join(work, 'spec', 'openapi.yaml')),
    ]);
    const result = await classifyDocuments(before, after);
    const bump = bumpFor(result.impact, current);
    const nextVersion = increment(current, bump);
    const breaking = result.changes.filter((change) => change.breaking).length;
    const head =
      bump === 'none'
        ? 'applying it changes nothing the gate sees'
        : `applying it implies a ${bump} release (${current} → ${nextVersion})${breaking ? `: ${breaking} breaking change${breaking === 1 ? '' : 's'}` : ''}`;
    const list = formatChanges(result, 20);
    return { result, bump, version: current, nextVersion, summary: list ? `${head}\n${list}` : head };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
