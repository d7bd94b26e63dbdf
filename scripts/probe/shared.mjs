// What the probe and the reconciler share: our operations with their request fields, DRF's field
// types in JSON Schema terms, output (table, JSON) and anonymised observation records.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { deref, operationsOf as walkOperations, requestContentOf } from '../lib/spec.ts';
import { root } from '../lib/tools.mjs';

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
export const RECORD_FORMAT = 'cloudsoar-v3-observation/1';

export async function loadOurSpec(file = join(root, 'generated', 'openapi.yaml')) {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the description ${file}: ${error.code ?? error.message}`);
  }
  return parse(text);
}

export async function toolVersion() {
  return JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).version;
}

/** A schema's JSON types as a set ('integer' also counts as 'number'); empty when anything goes. */
export function typesOf(document, schema, seen = new Set()) {
  const resolved = deref(document, schema);
  if (!resolved || typeof resolved !== 'object' || seen.has(resolved)) return new Set();
  seen.add(resolved);
  const types = new Set([resolved.type ?? []].flat());
  for (const key of ['anyOf', 'oneOf', 'allOf']) for (const part of resolved[key] ?? []) for (const type of typesOf(document, part, seen)) types.add(type);
  if (types.has('integer')) types.add('number');
  if (types.size === 0 && resolved.properties) types.add('object');
  types.delete('null');
  return types;
}

/** The top-level properties of an object schema (allOf merged, anyOf/oneOf united) with required flags. */
export function objectFields(document, schema, seen = new Set()) {
  const resolved = deref(document, schema);
  const fields = new Map();
  if (!resolved || typeof resolved !== 'object' || seen.has(resolved)) return fields;
  seen.add(resolved);
  const required = new Set(resolved.required ?? []);
  for (const [name, property] of Object.entries(resolved.properties ?? {})) {
    fields.set(name, { types: typesOf(document, property), required: required.has(name) });
  }
  for (const part of resolved.allOf ?? []) for (const [name, field] of objectFields(document, part, seen)) fields.set(name, { ...field, required: field.required || required.has(name) });
  for (const key of ['anyOf', 'oneOf']) {
    for (const part of resolved[key] ?? []) {
      // A field of one variant is not required of the union.
      for (const [name, field] of objectFields(document, part, seen)) if (!fields.has(name)) fields.set(name, { ...field, required: false });
    }
  }
  return fields;
}

/** Every operation of an OpenAPI 3.x document with what both tools compare. */
export function operationsOf(document) {
  const operations = [];
  for (const { path, method, item, operation } of walkOperations(document)) {
    if (!METHODS.includes(method)) continue;
    const content = requestContentOf(document, operation);
    const bodySchema = content['application/json']?.schema ?? Object.values(content)[0]?.schema;
    operations.push({
      operationId: operation.operationId ?? null,
      method: method.toUpperCase(),
      path,
      mediaTypes: Object.keys(content),
      fields: bodySchema ? objectFields(document, bodySchema) : new Map(),
      hasBody: Boolean(operation.requestBody),
      operation,
      item,
    });
  }
  return operations;
}

/** DRF's metadata field types (`SimpleMetadata.label_lookup`) as JSON types; null: not comparable. */
const DRF_TYPES = {
  boolean: 'boolean',
  string: 'string',
  url: 'string',
  email: 'string',
  regex: 'string',
  slug: 'string',
  'ip address': 'string',
  date: 'string',
  datetime: 'string',
  time: 'string',
  duration: 'string',
  integer: 'integer',
  float: 'number',
  decimal: 'number',
  list: 'array',
  'multiple choice': 'array',
  'nested object': 'object',
  'file upload': 'string',
  'image upload': 'string',
  choice: null,
  field: null,
  json: null,
};

export function jsonTypeOfDrf(drfType) {
  return DRF_TYPES[drfType] ?? null;
}

/** Differences between our request fields and theirs ({name → {types:Set|null, required}}). */
export function fieldDifferences(ours, theirs) {
  const differences = [];
  for (const [name, field] of theirs) {
    const mine = ours.get(name);
    if (!mine) {
      differences.push(`field ${name}: theirs${field.required ? ' (required)' : ''}, not ours`);
      continue;
    }
    const theirTypes = field.types;
    if (theirTypes && theirTypes.size > 0 && mine.types.size > 0 && ![...theirTypes].some((type) => mine.types.has(type))) {
      differences.push(`field ${name}: type ${[...theirTypes].join('|')} theirs, ${[...mine.types].filter((type) => !(type === 'number' && mine.types.has('integer'))).join('|')} ours`);
    }
    if (field.required !== mine.required) differences.push(`field ${name}: ${field.required ? 'required' : 'optional'} theirs, ${mine.required ? 'required' : 'optional'} ours`);
  }
  for (const name of ours.keys()) if (!theirs.has(name)) differences.push(`field ${name}: ours, not theirs`);
  return differences;
}

/** The human table: one line per operation, differences indented below. */
export function table(report) {
  const rows = report.operations.map((entry) => [entry.verdict, entry.method, entry.path, entry.operationId ?? '', entry.theirs ?? '']);
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column].length), 0));
  const lines = [];
  report.operations.forEach((entry, index) => {
    lines.push(rows[index].map((cell, column) => (column < 4 ? cell.padEnd(widths[column]) : cell ? `(theirs: ${cell})` : '')).join('  ').trimEnd());
    for (const difference of entry.differences) lines.push(`    - ${difference}`);
  });
  lines.push('', Object.entries(report.summary).map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : value}`).join(', '));
  return lines.join('\n');
}

/**
 * An anonymised observation record: only method, path template, what was seen, the verdict, the
 * tool, its version and the date — never a host, tenant, id value, token or user name.
 */
export async function writeRecord(file, tool, operations, now = new Date()) {
  const record = {
    format: RECORD_FORMAT,
    tool,
    toolVersion: await toolVersion(),
    date: now.toISOString().slice(0, 10),
    observations: operations
      .filter((entry) => entry.operationId)
      .map(({ operationId, method, path, verdict, seen, differences }) => ({ operationId, method, path, verdict, ...(seen ? { seen } : {}), differences })),
  };
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

/** Any secret-looking or host-naming text removed from a message meant for output. */
export function redact(text, secrets) {
  let out = String(text);
  for (const secret of secrets) if (secret) out = out.split(secret).join('[redacted]');
  return out;
}

/** A clear one-line error for the user, and the exit code 2 (usage or input), never a stack trace. */
export class UsageError extends Error {}

export async function runCli(main) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof UsageError ? error.message : `unexpected error: ${error?.message ?? error}`;
    console.error(message.split('\n')[0]);
    process.exitCode = 2;
  }
}
