// CHANGELOG.md entries, made from a classification: breaking changes first (marked), then
// additions, then evidence (grades, sources, new observation records), then patch-level edits, each
// grouped by tag and operation. Newest release first; writing an entry for a version that already
// has one replaces it, so a release can be cut again.
import { readFile, writeFile } from 'node:fs/promises';
import semver from 'semver';
import type { Change, Classification, EvidenceChange } from './classify.js';

export const CHANGELOG_HEADER = `# Changelog

Every release of \`cloudsoar-v3\` (the description and the package share one version), made by
\`npm run release\` from the difference between this release's bundled description and the previous
one's (\`releases/<version>/openapi.yaml\`). Semver: a breaking change needs a major version (while
0.x, a minor one: npm's \`^0.y.z\` takes patches only), an addition a minor one, an edit of
descriptions, examples, samples or evidence a patch. **BREAKING** marks what can break a client
(a removed operation or response field, a new required request field, a narrowed type, a removed
enum value in a request). Evidence changes have their own section: grades (E, O, P, L) and sources.

<!-- releases: newest first, generated; do not edit below by hand -->
`;

export interface EntryInput {
  version: string;
  previous: string;
  date: string;
  result: Classification;
  /** Observation records (spec/evidence/, by key L-<name>) that the previous release did not have. */
  newRecords: string[];
}

function byTagAndOperation<T extends { tag: string; operation?: string; operationId?: string }>(
  items: T[],
  line: (item: T) => string,
): string[] {
  const lines: string[] = [];
  const tags = [...new Set(items.map((item) => item.tag))].sort((a, b) =>
    a === 'Whole document' ? 1 : b === 'Whole document' ? -1 : a.localeCompare(b),
  );
  for (const tag of tags) {
    lines.push(`#### ${tag}`, '');
    const inTag = items.filter((item) => item.tag === tag);
    const operations = [...new Set(inTag.map((item) => item.operation ?? ''))].sort();
    for (const operation of operations) {
      const entries = inTag.filter((item) => (item.operation ?? '') === operation);
      const head = operation ? `\`${operation}\` (\`${entries[0]?.operationId}\`)` : 'Whole document';
      const texts = [...new Set(entries.map(line))];
      if (texts.length === 1) lines.push(`- ${head}: ${texts[0]}`);
      else lines.push(`- ${head}:`, ...texts.map((text) => `  - ${text}`));
    }
    lines.push('');
  }
  return lines;
}

function evidenceLine(change: EvidenceChange): string {
  const parts: string[] = [];
  if (change.grade.from !== change.grade.to)
    parts.push(`grade ${change.grade.from ?? '–'} → **${change.grade.to ?? '–'}**`);
  if (change.sources.added.length) parts.push(`sources added: ${change.sources.added.join(', ')}`);
  if (change.sources.removed.length) parts.push(`sources removed: ${change.sources.removed.join(', ')}`);
  return parts.join('; ');
}

/** Patch-level edits per operation, summed up: "description, examples edited (3)". */
function patchLines(changes: Change[]): Change[] {
  const grouped = new Map<string, Change[]>();
  for (const change of changes)
    grouped.set(change.operation ?? '', [...(grouped.get(change.operation ?? '') ?? []), change]);
  return [...grouped.values()].map((group) => {
    const first = group[0]!;
    const what = [
      ...new Set(group.map((change) => change.message.replace(/ of .*$/, '').replace(/ changed from .*$/, ''))),
    ]
      .slice(0, 6)
      .join(', ');
    return { ...first, message: `${what} (${group.length} edit${group.length === 1 ? '' : 's'})` };
  });
}

/** One release's entry, as Markdown. */
export function renderEntry({ version, previous, date, result, newRecords }: EntryInput): string {
  const breaking = result.changes.filter((change) => change.breaking);
  const added = result.changes.filter((change) => change.impact === 'minor');
  const patch = result.changes.filter((change) => change.impact === 'patch');
  const lines = [`## ${version} — ${date}`, ''];
  lines.push(
    `Compared with ${previous}: ${breaking.length} breaking, ${added.length} additive and ${patch.length} patch-level changes; ${result.evidence.length} operations with new evidence, ${newRecords.length} new observation records.`,
    '',
  );
  if (breaking.length)
    lines.push(
      '### ⚠ Breaking changes',
      '',
      ...byTagAndOperation(breaking, (change) => `**BREAKING** ${change.message}`),
    );
  if (added.length) lines.push('### Added', '', ...byTagAndOperation(added, (change) => change.message));
  if (result.evidence.length || newRecords.length) {
    lines.push('### Evidence', '');
    if (newRecords.length)
      lines.push(`New observation records (spec/evidence/): ${newRecords.map((key) => `\`${key}\``).join(', ')}`, '');
    lines.push(...byTagAndOperation(result.evidence, evidenceLine));
  }
  if (patch.length)
    lines.push(
      '### Edited (descriptions, examples, samples)',
      '',
      ...byTagAndOperation(patchLines(patch), (change) => change.message),
    );
  if (!breaking.length && !added.length && !patch.length && !result.evidence.length && !newRecords.length)
    lines.push('No change to the description.', '');
  return `${lines.join('\n').trimEnd()}\n`;
}

/** CHANGELOG.md text with `entry` for `version` put first, or in place of that version's entry. */
export function insertEntry(changelog: string, version: string, entry: string): string {
  const text = changelog.includes('<!-- releases:') ? changelog : CHANGELOG_HEADER;
  const marker = text.indexOf('\n', text.indexOf('<!-- releases:')) + 1;
  const head = text.slice(0, marker);
  const entries = text
    .slice(marker)
    .split(/^(?=## )/m)
    .filter((part) => part.trim() !== '');
  const kept = entries.filter((part) => !part.startsWith(`## ${version} `));
  const versionOf = (part: string) => semver.valid(part.match(/^## (\S+)/)?.[1] ?? '') ?? '0.0.0';
  const ordered = [entry, ...kept].sort((a, b) => semver.rcompare(versionOf(a), versionOf(b)));
  return `${head}\n${ordered.map((part) => part.trimEnd()).join('\n\n')}\n`;
}

export async function writeEntry(file: string, version: string, entry: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => '');
  await writeFile(file, insertEntry(current, version, entry));
}
