// Committed observation records (spec/evidence/*.json) and what the build makes of them. A record
// that confirms an operation raises its grade to L (live-observed) and adds the record's key
// (`L-<file name>`) to its sources; one that disagrees adds a note to the operation's description.
// Records are checked against spec/evidence/record.schema.json and refused when they name a host,
// an e-mail address, a URL or a token-like string: they must be anonymised.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { root } from './repo.js';
import type { Json, WalkedOperation } from './spec.js';

export const EVIDENCE_DIR = join(root, 'spec', 'evidence');
const IDENTIFYING: [RegExp, string][] = [
  [/https?:\/\//i, 'a URL'],
  [/\b[\w.-]+@[\w-]+\.[\w.-]+\b/, 'an e-mail address'],
  [/\b(?:[a-z0-9-]+\.)+(?:com|net|org|io|local|internal)\b/i, 'a host name'],
  [/\b\d{1,3}(?:\.\d{1,3}){3}\b/, 'an IP address'],
  [/\b(?:Bearer|Basic)\s+\S+/i, 'a credential'],
  [/(?=[\w+/=-]*\d)(?=[\w+/=-]*[A-Z])[\w+/=-]{24,}/, 'a token-like string'],
];

export const RECORD_FORMAT = 'cloudsoar-v3-observation/1';

export interface Observation {
  operationId: string;
  method: string;
  path: string;
  verdict: string;
  theirs?: string | null;
  seen?: object;
  differences: string[];
}
export interface ObservationRecord {
  format: typeof RECORD_FORMAT;
  tool: 'probe' | 'reconcile' | 'verify:proxy';
  toolVersion: string;
  date: string;
  observations: Observation[];
}
export interface KeyedRecord {
  key: string;
  record: ObservationRecord;
}

let validateRecord: ValidateFunction | undefined;
async function validator(): Promise<ValidateFunction> {
  if (!validateRecord) {
    const schema = JSON.parse(await readFile(join(EVIDENCE_DIR, 'record.schema.json'), 'utf8'));
    validateRecord = new Ajv2020({ allErrors: true }).compile(schema);
  }
  return validateRecord;
}

/** Throws naming the record and what is wrong with it; returns it otherwise. */
export async function checkRecord(name: string, record: unknown): Promise<ObservationRecord> {
  const validate = await validator();
  if (!validate(record))
    throw new Error(
      `spec/evidence/${name}: not an observation record: ${(validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`).join('; ')}`,
    );
  const text = JSON.stringify(record);
  for (const [pattern, what] of IDENTIFYING)
    if (pattern.test(text)) throw new Error(`spec/evidence/${name}: contains ${what}; records must be anonymised`);
  return record as ObservationRecord;
}

/** Every committed record, by key `L-<file name without .json>`, in file-name order. */
export async function loadRecords(dir = EVIDENCE_DIR): Promise<KeyedRecord[]> {
  const names = (await readdir(dir).catch(() => []))
    .filter((name) => name.endsWith('.json') && name !== 'record.schema.json')
    .sort();
  const records: KeyedRecord[] = [];
  for (const name of names) {
    let record: unknown;
    try {
      record = JSON.parse(await readFile(join(dir, name), 'utf8'));
    } catch (error) {
      throw new Error(`spec/evidence/${name}: not JSON (${(error as Error).message})`);
    }
    records.push({ key: `L-${name.replace(/\.json$/, '')}`, record: await checkRecord(name, record) });
  }
  return records;
}

/**
 * Applies records to the bundled document's operations (before the badges are drawn). Throws when a
 * record names an operation the description does not have at that method and path.
 */
export function applyRecords(document: Json, records: KeyedRecord[], operations: WalkedOperation[]): Json {
  const byKey = new Map(operations.map((entry) => [`${entry.method.toUpperCase()} ${entry.path}`, entry.operation]));
  for (const { key, record } of records) {
    for (const observation of record.observations) {
      const operation = byKey.get(`${observation.method} ${observation.path}`);
      if (!operation || operation.operationId !== observation.operationId) {
        if (observation.verdict === 'only-theirs') continue;
        throw new Error(
          `${key}: ${observation.method} ${observation.path} (${observation.operationId}) is not an operation of the description`,
        );
      }
      const evidence = operation['x-evidence'];
      if (observation.verdict === 'confirmed') {
        evidence.grade = 'L';
        if (!evidence.sources.includes(key)) evidence.sources = [...evidence.sources, key];
      } else if (observation.verdict === 'differs' || observation.verdict === 'refuted') {
        const list = observation.differences.map((difference) => `\`${difference}\``).join('; ');
        operation.description = `${operation.description ?? ''}\n\n**Live observation ${key} (${record.tool}, ${record.date}): ${observation.verdict}.** ${list}`;
      }
    }
  }
  return document;
}

/**
 * Writes an anonymised observation record: only method, path template, what was seen, the verdict,
 * the tool, its version and the date — never a host, tenant, id value, token or user name.
 */
export async function writeRecord(
  file: string,
  tool: ObservationRecord['tool'],
  operations: (Omit<Observation, 'operationId'> & { operationId: string | null })[],
  now = new Date(),
): Promise<ObservationRecord> {
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  const record: ObservationRecord = {
    format: RECORD_FORMAT,
    tool,
    toolVersion: version,
    date: now.toISOString().slice(0, 10),
    observations: operations.flatMap(({ operationId, method, path, verdict, seen, differences }) =>
      operationId ? [{ operationId, method, path, verdict, ...(seen ? { seen } : {}), differences }] : [],
    ),
  };
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return record;
}
