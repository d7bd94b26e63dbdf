// Every change between two bundled descriptions, rated by the semver bump it needs, with the
// operation and tag it belongs to. The rating is Redocly's (`redocly diff`, direction-aware: a new
// required request field or a removed response field is major, a new optional one minor), with one
// stricter rule of ours on top (see `raiseNarrowedResponseTypes`). Evidence (x-evidence grades and
// sources, observation records) is compared here, not by Redocly, because it is ours alone.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { parse } from 'yaml';
import { toolEntry, toolEnv } from '../repo.js';
import type { Json } from '../spec.js';
import { HTTP_METHODS, type HttpMethod, operationsOf } from '../spec.js';
export type Impact = 'major' | 'minor' | 'patch';
export type Bump = 'major' | 'minor' | 'patch' | 'none';
const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

export const DIFF_CONFIG = fileURLToPath(new URL('./diff.redocly.yaml', import.meta.url));

/** One change, as a changelog line and a gate verdict use it. */
export interface Change {
  impact: Impact;
  /** Breaking for a client: Redocly's `major`, or our narrowed-response rule. */
  breaking: boolean;
  /** `GET /incidents/{id}/` when the change lies under an operation, else undefined (document-wide). */
  operation?: string;
  operationId?: string;
  tag: string;
  direction?: 'request' | 'response';
  /** One readable sentence. */
  message: string;
  /** JSON Pointer of the change in the revision (or the base, for a removal). */
  pointer: string;
}

export interface EvidenceChange {
  operation: string;
  operationId: string;
  tag: string;
  grade: { from?: string; to?: string };
  sources: { added: string[]; removed: string[] };
}

export interface Classification {
  changes: Change[];
  evidence: EvidenceChange[];
  /** The largest impact found, or 'none'. */
  impact: Bump;
  /** Seconds the `redocly diff` run took (wall). */
  diffSeconds: number;
}

// --- versions ------------------------------------------------------------------------------------

/** The bump a release needs for changes of `impact`, from `base`. While 0.x, a breaking change raises the minor version (npm's `^0.y.z` takes patches only), as the README states. */
export function bumpFor(impact: Bump, base: string): Bump {
  if (impact === 'major' && semver.major(base) === 0) return 'minor';
  return impact;
}

/** The version after `base` with `bump` applied (`base` itself for 'none'). */
export function increment(base: string, bump: Bump): string {
  if (bump === 'none') return base;
  const next = semver.inc(base, bump);
  if (!next) throw new Error(`not a version: ${base}`);
  return next;
}

/** `value` as a plain X.Y.Z version; throws naming it otherwise. */
export function plainVersion(value: string, what: string): string {
  const parsed = semver.valid(value);
  if (!parsed || semver.prerelease(parsed) || parsed !== value)
    throw new Error(`${what} must be a plain version X.Y.Z, got ${JSON.stringify(value)}`);
  return parsed;
}

export function maxBump(a: Bump, b: Bump): Bump {
  return RANK[a] >= RANK[b] ? a : b;
}

// --- running Redocly -----------------------------------------------------------------------------

interface RedoclyChange {
  path: string;
  typeName: string;
  kind: 'added' | 'removed' | 'modified';
  impact: Impact;
  property?: string;
  verdicts: { ruleId: string; impact: Impact; message: string }[];
  base?: { pointer: string; value?: unknown };
  revision?: { pointer: string; value?: unknown };
}

/** Runs `redocly diff --format json` on two files; its report (exit code 1 only means "found a major change"). */
export async function redoclyDiff(
  baseFile: string,
  revisionFile: string,
): Promise<{ changes: RedoclyChange[]; seconds: number }> {
  const started = performance.now();
  const args = [
    toolEntry('redocly'),
    'diff',
    baseFile,
    revisionFile,
    '--config',
    DIFF_CONFIG,
    '--format',
    'json',
    '--fail-on',
    'none',
    '--lint-config',
    'off',
  ];
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, args, {
        env: { ...toolEnv, REDOCLY_SUPPRESS_NOTIFICATIONS: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
    },
  );
  const start = stdout.indexOf('{');
  if (code !== 0 || start < 0)
    throw new Error(`redocly diff ${baseFile} ${revisionFile} exited with ${code}\n${stderr}${stdout}`);
  const report = JSON.parse(stdout.slice(start)) as { changes: RedoclyChange[] };
  return { changes: report.changes, seconds: (performance.now() - started) / 1000 };
}

// --- classification ------------------------------------------------------------------------------

function tokens(pointer: string): string[] {
  return pointer
    .replace(/^#\/?/, '')
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function operationAt(document: Json, path: string, method: HttpMethod): Json | undefined {
  return document.paths?.[path]?.[method];
}

const isMethod = (token: string | undefined): token is HttpMethod => HTTP_METHODS.includes(token as HttpMethod);

/** What a change is about, in a few words: `response property \`title\``, `request body`, `parameter \`id\``. */
function subjectOf(parts: string[], direction: Change['direction']): string {
  const last = parts.at(-1) ?? '';
  const parent = parts.at(-2);
  const side = direction ? `${direction} ` : '';
  if (parent === 'properties') return `${side}property \`${last}\``;
  if (parent === 'responses') return `response ${last}`;
  if (parent === 'content') return `${side}media type \`${last}\``;
  if (last === 'requestBody') return 'request body';
  if (last === 'items') return `${side}array items`;
  if (parent === 'parameters') return `parameter ${last}`;
  if (parent === 'examples' || parent === 'x-examples') return `example \`${last}\``;
  if (isMethod(last)) return 'operation';
  return `${side}${last || 'document'}`;
}

const show = (value: unknown) => (typeof value === 'string' && value.length > 40 ? 'text' : JSON.stringify(value));

/** A sentence for a change Redocly rated without a rule message (additions and patch-level edits). */
function describe(change: RedoclyChange, parts: string[], direction: Change['direction']): string {
  const subject = subjectOf(parts, direction);
  if (change.kind === 'added') return `${subject} added`;
  if (change.kind === 'removed') return `${subject} removed`;
  const property = change.property ?? 'value';
  if (['description', 'summary', 'examples', 'example', 'x-codeSamples', 'x-examples', 'title'].includes(property))
    return `${property} of ${subject} edited`;
  return `${property} of ${subject} changed from ${show(change.base?.value)} to ${show(change.revision?.value)}`;
}

/**
 * Ours, stricter than Redocly: narrowing a response field's `type` (`[integer, string]` → `integer`)
 * is safe for a reader in theory, and Redocly rates it patch; but a client generated from the old
 * description holds a union type (a wrapper class in Java, Go or C#, a `Union` in pydantic) that
 * becomes a plain one, and the code written against it stops compiling. So it counts as breaking.
 */
function raiseNarrowedResponseTypes(
  change: RedoclyChange,
  direction: Change['direction'],
): { impact: Impact; message?: string } {
  if (
    change.kind === 'modified' &&
    change.property === 'type' &&
    direction === 'response' &&
    change.impact !== 'major'
  ) {
    return {
      impact: 'major',
      message: `type narrowed from ${show(change.base?.value)} to ${show(change.revision?.value)} (clients generated from the old description hold the wider type)`,
    };
  }
  return { impact: change.impact };
}

/** Redocly's changes with their operations, tags and sentences; info.version and x-evidence left out (the version is the point of the release; evidence has its own section). */
export function classifyChanges(raw: RedoclyChange[], base: Json, revision: Json): Change[] {
  const changes: Change[] = [];
  const seen = new Set<string>();
  for (const change of raw) {
    const pointer = change.revision?.pointer ?? change.base?.pointer ?? change.path;
    if (pointer === '#/info/version' || change.path.includes('/x-evidence')) continue;
    const parts = tokens(change.path);
    const direction = parts.includes('responses')
      ? 'response'
      : parts.includes('requestBody') || parts.includes('parameters')
        ? 'request'
        : undefined;
    const raised = raiseNarrowedResponseTypes(change, direction);
    const sentence = raised.message ?? change.verdicts.map((verdict) => verdict.message).join(' ') ?? '';
    const text = sentence || describe(change, parts, direction);
    // A path item added or removed is one entry per operation it holds.
    const targets: { path: string; method: HttpMethod }[] = [];
    if (parts[0] === 'paths' && parts[1] !== undefined) {
      const path = parts[1];
      if (isMethod(parts[2])) targets.push({ path, method: parts[2] });
      else if (parts.length === 2) {
        const item = (change.kind === 'removed' ? base : revision).paths?.[path] ?? {};
        for (const method of HTTP_METHODS) if (item[method]) targets.push({ path, method });
      }
    }
    if (targets.length === 0) targets.push({ path: '', method: 'get' });
    for (const target of targets) {
      const operation = target.path
        ? (operationAt(revision, target.path, target.method) ?? operationAt(base, target.path, target.method))
        : undefined;
      const label = operation ? `${target.method.toUpperCase()} ${target.path}` : undefined;
      const message =
        operation && parts.length <= 3
          ? change.kind === 'added'
            ? 'operation added'
            : change.kind === 'removed' && !sentence
              ? 'operation removed'
              : text
          : text;
      const key = `${label}|${raised.impact}|${message}`;
      if (seen.has(key)) continue; // a shared schema can be reported once per place it is used
      seen.add(key);
      changes.push({
        impact: raised.impact,
        breaking: raised.impact === 'major',
        ...(label ? { operation: label, operationId: String(operation?.operationId ?? '') } : {}),
        tag: String(operation?.tags?.[0] ?? 'Whole document'),
        ...(direction ? { direction } : {}),
        message,
        pointer,
      });
    }
  }
  return changes;
}

/** Grade and source changes of every operation present in both, and of added operations that carry evidence. */
export function evidenceChanges(base: Json, revision: Json): EvidenceChange[] {
  const result: EvidenceChange[] = [];
  for (const { path, method, operation } of operationsOf(revision)) {
    const before = operationAt(base, path, method)?.['x-evidence'] as Json | undefined;
    if (!before) continue; // a new operation is listed as an addition, with its grade in its description
    const after = (operation['x-evidence'] ?? {}) as Json;
    const beforeSources: string[] = before.sources ?? [];
    const afterSources: string[] = after.sources ?? [];
    const added = afterSources.filter((source) => !beforeSources.includes(source));
    const removed = beforeSources.filter((source) => !afterSources.includes(source));
    if (before.grade === after.grade && added.length === 0 && removed.length === 0) continue;
    result.push({
      operation: `${method.toUpperCase()} ${path}`,
      operationId: String(operation.operationId ?? ''),
      tag: String(operation.tags?.[0] ?? 'Whole document'),
      grade: before.grade === after.grade ? {} : { from: before.grade, to: after.grade },
      sources: { added, removed },
    });
  }
  return result;
}

/** Reads a bundle (YAML or JSON). */
export async function readBundle(file: string): Promise<Json> {
  return parse(await readFile(file, 'utf8')) as Json;
}

// Annotations a schema may carry beside a reference without changing what it accepts.
const ANY_TYPE = ['string', 'number', 'boolean', 'object', 'array', 'null'];
const ANNOTATIONS = new Set([
  'description',
  'title',
  'examples',
  'example',
  'deprecated',
  'readOnly',
  'writeOnly',
  'xml',
  'externalDocs',
]);

/**
 * The same schema spelled two ways must not read as a change. `{type, allOf: [{$ref}], description}`
 * (how the description writes a reference with a description beside it, for openapi-backend) and
 * `{$ref, description}` accept the same values when `type` is the referenced schema's own; Redocly
 * compares them as text and reports every property of the reference "removed". Both documents are
 * brought to the `$ref` spelling before the diff. Likewise a `type` that lists every JSON type, and
 * `items: {}`, constrain nothing (tools need them spelled out; see the cloudsoar/typed-composition
 * rule) and are left out of both.
 */
export function withPlainReferences<T>(document: T): T {
  const root = document as Json;
  const target = (ref: string): Json | undefined =>
    ref.startsWith('#/')
      ? (tokens(ref).reduce<unknown>((node, token) => (node as Json | undefined)?.[token], root) as Json | undefined)
      : undefined;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const object = Object.fromEntries(Object.entries(node as Json).map(([key, value]) => [key, walk(value)])) as Json;
    if (Array.isArray(object.type) && ANY_TYPE.every((name) => object.type.includes(name))) delete object.type;
    if (object.items && typeof object.items === 'object' && Object.keys(object.items).length === 0) delete object.items;
    const only = Array.isArray(object.allOf) && object.allOf.length === 1 ? (object.allOf[0] as Json) : undefined;
    if (!only || typeof only.$ref !== 'string' || Object.keys(only).length !== 1) return object;
    const { allOf: _allOf, type, ...rest } = object;
    if (!Object.keys(rest).every((key) => ANNOTATIONS.has(key))) return object;
    if (type !== undefined && JSON.stringify(type) !== JSON.stringify(target(only.$ref)?.type)) return object;
    return { $ref: only.$ref, ...rest };
  };
  return walk(root) as T;
}

/** Classifies the changes from `baseFile` to `revisionFile` (both bundled descriptions). */
export async function classify(baseFile: string, revisionFile: string): Promise<Classification> {
  const [base, revision] = await Promise.all([readBundle(baseFile), readBundle(revisionFile)]);
  return classifyDocuments(base, revision);
}

/** Classifies two documents held in memory (written, with plain references, to a temporary directory for Redocly). */
export async function classifyDocuments(base: Json, revision: Json): Promise<Classification> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudsoar-diff-'));
  try {
    const baseFile = join(dir, 'base.json');
    const revisionFile = join(dir, 'revision.json');
    await Promise.all([
      writeFile(baseFile, JSON.stringify(withPlainReferences(base))),
      writeFile(revisionFile, JSON.stringify(withPlainReferences(revision))),
    ]);
    const diff = await redoclyDiff(baseFile, revisionFile);
    const changes = classifyChanges(diff.changes, base, revision);
    const evidence = evidenceChanges(base, revision);
    let impact: Bump = evidence.length ? 'patch' : 'none';
    for (const change of changes) impact = maxBump(impact, change.impact);
    return { changes, evidence, impact, diffSeconds: diff.seconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// --- reading a classification ---------------------------------------------------------------------

/** The readable list: breaking changes first, then additions, then patch-level changes (counted per operation). */
export function formatChanges(result: Classification, limit = Infinity): string {
  const lines: string[] = [];
  const where = (change: Change) => (change.operation ? `${change.operation} (${change.operationId})` : 'document');
  const breaking = result.changes.filter((change) => change.breaking);
  const minor = result.changes.filter((change) => change.impact === 'minor');
  const patch = result.changes.filter((change) => change.impact === 'patch');
  for (const change of breaking.slice(0, limit)) lines.push(`  BREAKING  ${where(change)}: ${change.message}`);
  if (breaking.length > limit) lines.push(`  … and ${breaking.length - limit} more breaking changes`);
  for (const change of minor.slice(0, limit)) lines.push(`  added     ${where(change)}: ${change.message}`);
  if (minor.length > limit) lines.push(`  … and ${minor.length - limit} more additions`);
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  if (patch.length)
    lines.push(
      `  patch     ${count(patch.length, 'edit')} (descriptions, examples, samples) in ${count(new Set(patch.map(where)).size, 'place')}`,
    );
  if (result.evidence.length)
    lines.push(`  evidence  ${count(result.evidence.length, 'operation')} changed grade or sources`);
  return lines.join('\n');
}
