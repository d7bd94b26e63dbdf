// The breaking-change gate (scripts/release/): the repository passes it, and planted changes in
// copies of the bundle are judged by direction — five kinds of breaking change turn it red unless the
// version is bumped enough, additions stay green. To keep it cheap, the five breaking kinds share one
// copy (they touch different operations and schemas, and each is judged on its own changes) and the
// additions another: two `redocly diff` processes, run in parallel.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { insertEntry, renderEntry } from '../../tools/kit/release/changelog.js';
import {
  bumpFor,
  type Classification,
  classifyDocuments,
  withPlainReferences,
} from '../../tools/kit/release/classify.js';
import { judge, runGate, versionsInTree } from '../../tools/kit/release/gate.js';

type Json = Record<string, any>;
const root = fileURLToPath(new URL('../..', import.meta.url));
const bundle: Json = parse(readFileSync(`${root}generated/openapi.yaml`, 'utf8'));

function at(document: Json, ...keys: string[]): Json {
  return keys.reduce<Json>((node, key) => {
    if (!node || typeof node !== 'object' || !(key in node))
      throw new Error(`plant: the bundle has no ${keys.join('.')} (the spec changed; pick another target)`);
    return node[key];
  }, document);
}
const schema = (document: Json, name: string) => at(document, 'components', 'schemas', name);

const BREAKING: Record<string, { plant: (document: Json) => void; names: RegExp }> = {
  'operation removed': { plant: (d) => void delete at(d, 'paths', '/folders/').get, names: /GET \/folders\/.*removed/ },
  'response field removed': {
    plant: (d) => void delete at(schema(d, 'Note'), 'properties').title,
    names: /Property `title` of `Note` was removed/,
  },
  'response type narrowed': {
    plant: (d) => {
      at(schema(d, 'EntityCreated'), 'properties', 'id').type = 'integer';
    },
    names: /POST \/entities\/.*type narrowed/,
  },
  'request field made required': {
    plant: (d) => void at(schema(d, 'NoteCreate'), 'required').push('additional_info'),
    names: /POST \/incidents\/\{id\}\/notes\/.*became required: `additional_info`/,
  },
  'enum value removed from a request': {
    plant: (d) => {
      at(schema(d, 'OwnerChange'), 'properties', 'owner_type').enum = ['user'];
    },
    names: /PUT \/incidents\/\{id\}\/owner\/.*lost values: 'group'/,
  },
};

/** Additions and edits, all in one copy: none of them may need more than a minor version. */
function plantAdditions(d: Json): void {
  at(schema(d, 'NoteCreate'), 'properties').tag = { type: 'string', description: 'A new optional request field.' };
  at(schema(d, 'Note'), 'properties').tag = { type: 'string', description: 'A new response field.' };
  at(schema(d, 'OwnerChange'), 'properties', 'owner_type').enum.push('team');
  const notes = structuredClone(at(d, 'paths', '/incidents/{id}/notes/'));
  for (const operation of Object.values<Json>(notes))
    if (operation?.operationId) operation.operationId = operation.operationId.replace(/^incidents_/, 'cases_');
  d.paths['/cases/{id}/notes/'] = notes;
  schema(d, 'Note').description += ' Edited.';
}

const planted = (plant: (document: Json) => void) => {
  const copy = structuredClone(bundle);
  plant(copy);
  return classifyDocuments(bundle, copy);
};

let breakingResult: Classification;
let additionsResult: Classification;
beforeAll(async () => {
  [breakingResult, additionsResult] = await Promise.all([
    planted((d) => {
      for (const { plant } of Object.values(BREAKING)) plant(d);
    }),
    planted(plantAdditions),
  ]);
  console.log(
    `gate test: redocly diff took ${breakingResult.diffSeconds.toFixed(1)} s and ${additionsResult.diffSeconds.toFixed(1)} s (wall, in parallel)`,
  );
}, 120_000);

/** The planted copy's classification narrowed to the changes one kind made. */
function only(kind: string): Classification {
  const changes = breakingResult.changes.filter((change) =>
    BREAKING[kind]!.names.test(`${change.operation} ${change.message}`),
  );
  return {
    ...breakingResult,
    changes,
    evidence: [],
    impact: changes.some((change) => change.breaking) ? 'major' : 'patch',
  };
}

describe('the repository', () => {
  it('keeps package.json and info.version together', async () => {
    const versions = await versionsInTree();
    expect(versions.spec).toBe(versions.packageJson);
    expect(versions.bundle).toBe(versions.packageJson);
  });

  it('passes the gate against its last release', async () => {
    const verdict = await runGate();
    console.log(verdict.report);
    expect(verdict.ok, verdict.report).toBe(true);
  }, 60_000);
});

describe.each(Object.keys(BREAKING))('planted: %s', (kind) => {
  it('is breaking, named in the list, and fails without the bump it needs', () => {
    const result = only(kind);
    expect(
      result.changes.length,
      `${kind}: not found among ${JSON.stringify(breakingResult.changes.map((change) => change.message))}`,
    ).toBeGreaterThan(0);
    expect(result.changes.every((change) => change.breaking)).toBe(true);
    const verdict = judge(result, '0.2.0', '0.2.0');
    expect(verdict.ok).toBe(false);
    expect(verdict.report).toMatch(/FAIL: breaking changes need version ≥ 0\.3\.0/);
    expect(verdict.report).toMatch(BREAKING[kind]!.names);
    // 0.x: the minor bump suffices; from 1.0 on only a major one does.
    expect(judge(result, '0.2.0', '0.3.0').ok).toBe(true);
    expect(judge(result, '1.4.2', '1.5.0').ok).toBe(false);
    expect(judge(result, '1.4.2', '2.0.0').ok).toBe(true);
  });
});

describe('planted additions (optional request field, response field, operation, request enum value, description)', () => {
  it('pass without a bump and ask the next release for a minor one', () => {
    const result = additionsResult;
    expect(result.changes.filter((change) => change.breaking)).toEqual([]);
    const verdict = judge(result, '0.2.0', '0.2.0');
    expect(verdict.ok, verdict.report).toBe(true);
    expect(verdict.needed).toBe('minor');
    for (const expected of [
      /POST \/incidents\/\{id\}\/notes\/.*request property `tag` added/,
      /GET \/incidents\/\{id\}\/notes\/.*response property `tag` added/,
      /GET \/cases\/\{id\}\/notes\/.*operation added/,
    ])
      expect(verdict.report).toMatch(expected);
  });
});

describe('one schema spelled two ways', () => {
  const document = (field: Json) => ({
    components: {
      schemas: { Wrapped: { type: 'object', properties: { value: {} } }, Incident: { properties: { owner: field } } },
    },
  });
  const ref = { $ref: '#/components/schemas/Wrapped' };
  it('reads as no change: a reference with a description, and `any` spelled as every type', () => {
    expect(withPlainReferences(document({ type: 'object', allOf: [ref], description: 'Owner.' }))).toEqual(
      document({ ...ref, description: 'Owner.' }),
    );
    expect(
      withPlainReferences(document({ type: ['string', 'number', 'boolean', 'object', 'array', 'null'], items: {} })),
    ).toEqual(document({}));
  });
  it('keeps what constrains: another type, or a sibling that is not an annotation', () => {
    for (const field of [
      { type: 'string', allOf: [ref] },
      { allOf: [ref], required: ['value'] },
      { type: ['string', 'null'] },
    ]) {
      expect(withPlainReferences(document(field))).toEqual(document(field));
    }
  });
});

describe('versions', () => {
  it('while 0.x a breaking change needs a minor bump, from 1.0 a major one', () => {
    expect(bumpFor('major', '0.2.0')).toBe('minor');
    expect(bumpFor('major', '1.0.0')).toBe('major');
    expect(bumpFor('minor', '0.2.0')).toBe('minor');
    expect(bumpFor('patch', '0.2.0')).toBe('patch');
  });
});

describe('the changelog entry', () => {
  it('puts breaking changes first, marked, grouped by tag and operation, and replaces an entry cut again', () => {
    const result: Classification = {
      ...additionsResult,
      changes: [...only('response field removed').changes, ...additionsResult.changes],
      impact: 'major',
    };
    const entry = renderEntry({
      version: '0.3.0',
      previous: '0.2.0',
      date: '2026-12-01',
      result,
      newRecords: ['L-2026-12-01-probe-us2'],
    });
    expect(entry.indexOf('### ⚠ Breaking changes')).toBeLessThan(entry.indexOf('### Added'));
    expect(entry).toMatch(
      /#### Notes\n\n- `GET \/incidents\/\{id\}\/notes\/` \(`incidents_notes_list`\): \*\*BREAKING\*\* Property `title` of `Note` was removed/,
    );
    expect(entry).toMatch(/### Evidence\n\nNew observation records \(spec\/evidence\/\): `L-2026-12-01-probe-us2`/);
    const once = insertEntry(insertEntry('', '0.2.0', '## 0.2.0 — 2026-11-30\n\nfirst\n'), '0.3.0', entry);
    const twice = insertEntry(once, '0.3.0', entry.replace('2026-12-01', '2026-12-02'));
    expect(twice.match(/^## 0\.3\.0/gm)).toHaveLength(1);
    expect(twice.indexOf('## 0.3.0')).toBeLessThan(twice.indexOf('## 0.2.0'));
  });
});
