// What the probe and the reconciler share: operations with their request fields, DRF's field
// types in JSON Schema terms, and the human table of a report. Hand-written: DRF's OPTIONS metadata
// (`SimpleMetadata`) is this API's backend speaking, and no OpenAPI library reads it.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { UsageError } from '../cli.js';
import { BUNDLED_SPEC } from '../repo.js';
import { type Json, OPERATION_METHODS, type OpenApiDocument } from '../spec.js';

export interface Field {
  /** JSON types ('integer' also counts as 'number'); empty when anything goes. */
  types: Set<string>;
  required: boolean;
}
/** A field as DRF's metadata describes it: `types` is null when its type is not comparable. */
export interface TheirField {
  types: Set<string> | null;
  required: boolean;
}
export interface ComparedOperation {
  operationId: string | null;
  /** Upper case. */
  method: string;
  path: string;
  mediaTypes: string[];
  fields: Map<string, Field>;
  hasBody: boolean;
  operation: Json;
  item: Json;
}

/** The bundled description, or `file`; a file that cannot be read is a usage error. */
export async function loadOurSpec(file = BUNDLED_SPEC): Promise<Json> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read the description ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return parse(text);
}

/** A schema's JSON types as a set ('integer' also counts as 'number'); empty when anything goes. */
export function typesOf(spec: OpenApiDocument, schema: unknown, seen = new Set<unknown>()): Set<string> {
  const resolved = spec.deref(schema);
  if (!resolved || typeof resolved !== 'object' || seen.has(resolved)) return new Set();
  seen.add(resolved);
  const types = new Set<string>([resolved.type ?? []].flat());
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    for (const part of resolved[key] ?? []) for (const type of typesOf(spec, part, seen)) types.add(type);
  if (types.has('integer')) types.add('number');
  if (types.size === 0 && resolved.properties) types.add('object');
  types.delete('null');
  return types;
}

/** The top-level properties of an object schema (allOf merged, anyOf/oneOf united) with required flags. */
export function objectFields(spec: OpenApiDocument, schema: unknown, seen = new Set<unknown>()): Map<string, Field> {
  const resolved = spec.deref(schema);
  const fields = new Map<string, Field>();
  if (!resolved || typeof resolved !== 'object' || seen.has(resolved)) return fields;
  seen.add(resolved);
  const required = new Set<string>(resolved.required ?? []);
  for (const [name, property] of Object.entries(resolved.properties ?? {})) {
    fields.set(name, { types: typesOf(spec, property), required: required.has(name) });
  }
  for (const part of resolved.allOf ?? [])
    for (const [name, field] of objectFields(spec, part, seen))
      fields.set(name, { ...field, required: field.required || required.has(name) });
  for (const key of ['anyOf', 'oneOf']) {
    for (const part of resolved[key] ?? []) {
      // A field of one variant is not required of the union.
      for (const [name, field] of objectFields(spec, part, seen))
        if (!fields.has(name)) fields.set(name, { ...field, required: false });
    }
  }
  return fields;
}

/** Every operation of an OpenAPI 3.x document with what both tools compare. */
export function operationsOf(spec: OpenApiDocument): ComparedOperation[] {
  const operations: ComparedOperation[] = [];
  for (const { path, method, item, operation } of spec.operations()) {
    if (!OPERATION_METHODS.includes(method)) continue;
    const content = spec.requestContent(operation);
    const bodySchema = content['application/json']?.schema ?? Object.values(content)[0]?.schema;
    operations.push({
      operationId: operation.operationId ?? null,
      method: method.toUpperCase(),
      path,
      mediaTypes: Object.keys(content),
      fields: bodySchema ? objectFields(spec, bodySchema) : new Map(),
      hasBody: Boolean(operation.requestBody),
      operation,
      item,
    });
  }
  return operations;
}

/** DRF's metadata field types (`SimpleMetadata.label_lookup`) as JSON types; null: not comparable. */
const DRF_TYPES: Record<string, string | null> = {
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

export function jsonTypeOfDrf(drfType: unknown): string | null {
  return DRF_TYPES[String(drfType)] ?? null;
}

/** Differences between our request fields and theirs ({name → {types:Set|null, required}}). */
export function fieldDifferences(ours: Map<string, Field>, theirs: Map<string, TheirField>): string[] {
  const differences: string[] = [];
  for (const [name, field] of theirs) {
    const mine = ours.get(name);
    if (!mine) {
      differences.push(`field ${name}: theirs${field.required ? ' (required)' : ''}, not ours`);
      continue;
    }
    const theirTypes = field.types;
    if (
      theirTypes &&
      theirTypes.size > 0 &&
      mine.types.size > 0 &&
      ![...theirTypes].some((type) => mine.types.has(type))
    ) {
      differences.push(
        `field ${name}: type ${[...theirTypes].join('|')} theirs, ${[...mine.types].filter((type) => !(type === 'number' && mine.types.has('integer'))).join('|')} ours`,
      );
    }
    if (field.required !== mine.required)
      differences.push(
        `field ${name}: ${field.required ? 'required' : 'optional'} theirs, ${mine.required ? 'required' : 'optional'} ours`,
      );
  }
  for (const name of ours.keys()) if (!theirs.has(name)) differences.push(`field ${name}: ours, not theirs`);
  return differences;
}

/** The human table: one line per operation, differences indented below. */
export interface TableRow {
  verdict: string;
  method: string;
  path: string;
  operationId: string | null;
  theirs?: string | null;
  differences: string[];
}

export function table(report: { summary: object; operations: TableRow[] }): string {
  const rows = report.operations.map((entry): string[] => [
    entry.verdict,
    entry.method,
    entry.path,
    entry.operationId ?? '',
    entry.theirs ?? '',
  ]);
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0), 0));
  const lines: string[] = [];
  report.operations.forEach((entry, index) => {
    lines.push(
      rows[index]!.map((cell, column) =>
        column < 4 ? cell.padEnd(widths[column] ?? 0) : cell ? `(theirs: ${cell})` : '',
      )
        .join('  ')
        .trimEnd(),
    );
    for (const difference of entry.differences) lines.push(`    - ${difference}`);
  });
  lines.push(
    '',
    Object.entries(report.summary)
      .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : value}`)
      .join(', '),
  );
  return lines.join('\n');
}
