// The run-time twin of the exact request types (src/exact.ts), for JavaScript callers and `any`:
// before anything is sent, path parameters must be present and of the schema's type, and `params`
// and closed bodies may hold only keys the operation knows. It reads the table the build makes
// from the description (generated/arguments.ts, by tools/kit/argument-table.ts). The client loads
// this module with its first call, so the table is not in what loads with the core entry.
import { argumentTable } from '../generated/arguments.js';
import { CloudSoarArgumentError } from './errors.js';
import { isUnchecked } from './unknown-fields.js';

/**
 * What the guard knows of a body: `0` anything; a string, the named shape of `shapes`; `[item]` a
 * list; an object, its fields, where the key `*` admits any other key and a key starting with `^`
 * is a pattern that admits the keys it matches (custom fields `opt_N`).
 */
export type KeyTree = 0 | string | [KeyTree] | { [key: string]: KeyTree };

export interface PathParameter {
  type: 'integer' | 'number' | 'string';
  minimum?: number;
  pattern?: string;
}

export interface OperationArguments {
  path?: Record<string, PathParameter>;
  query?: string[];
  header?: string[];
  cookie?: string[];
  body?: KeyTree;
}

export interface ArgumentTable {
  shapes: Record<string, KeyTree>;
  /** By `METHOD /path/template/`. */
  operations: Record<string, OperationArguments>;
}

/** Whether the operation `METHOD path` is in the description. */
export function isDescribed(method: string, path: string): boolean {
  return Object.hasOwn(argumentTable.operations, `${method} ${path}`);
}

const LOCATIONS = ['path', 'query', 'header', 'cookie'] as const;
const UNSENT = 'nothing was sent';

/** Throws a CloudSoarArgumentError naming the first argument of the call the operation cannot take. */
export function guardArguments(method: string, path: string, init: Record<string, unknown>): void {
  const label = `${method} ${path}`;
  const operation = argumentTable.operations[label];
  if (!operation) return; // not in the description: nothing to check against
  const params = init.params ?? {};
  if (typeof params !== 'object' || params === null)
    throw new CloudSoarArgumentError(
      'params',
      `must be an object ({ path, query, header }), got ${describe(params)}; ${UNSENT}`,
    );
  if (!isUnchecked(params)) {
    for (const location of Object.keys(params)) {
      if (!(LOCATIONS as readonly string[]).includes(location))
        throw unknownKey(`params.${location}`, location, LOCATIONS, `a parameter location`, label);
    }
  }
  const given = params as Partial<Record<(typeof LOCATIONS)[number], unknown>>;
  const pathValues = (given.path ?? {}) as Record<string, unknown>;
  for (const [name, schema] of Object.entries(operation.path ?? {}))
    checkPathValue(`params.path.${name}`, pathValues[name], schema, label);
  for (const location of LOCATIONS) {
    const values = given[location];
    if (values === undefined || values === null || isUnchecked(values)) continue;
    if (typeof values !== 'object')
      throw new CloudSoarArgumentError(
        `params.${location}`,
        `must be an object of parameters, got ${describe(values)}; ${UNSENT}`,
      );
    const known = location === 'path' ? Object.keys(operation.path ?? {}) : (operation[location] ?? []);
    for (const name of Object.keys(values)) {
      if (!known.includes(name))
        throw unknownKey(`params.${location}.${name}`, name, known, `a ${location} parameter`, label);
    }
  }
  if (operation.body !== undefined) checkKeys(init.body, operation.body, 'body', label);
}

function checkPathValue(where: string, value: unknown, schema: PathParameter, label: string): void {
  const ok =
    schema.type === 'string'
      ? typeof value === 'string' && (schema.pattern === undefined || pattern(schema.pattern).test(value))
      : typeof value === 'number' &&
        (schema.type === 'integer' ? Number.isSafeInteger(value) : Number.isFinite(value)) &&
        (schema.minimum === undefined || value >= schema.minimum);
  if (ok) return;
  const expected =
    schema.type === 'string'
      ? 'a string'
      : `${schema.type === 'integer' ? 'an integer' : 'a number'}${schema.minimum === undefined ? '' : `, ${schema.minimum} or more`}`;
  let problem: string;
  if (value === undefined || value === null) problem = `is missing (${String(value)}); ${label} needs it in the URL`;
  else if (typeof value === 'number' && Number.isNaN(value))
    problem = `is NaN, not ${expected} (what Number() gives for text that is no number, such as the label 'INSIGHT-1': give the numeric id)`;
  else if (schema.type === 'string' && typeof value === 'string')
    problem = `must match ${schema.pattern}, got ${describe(value)}`;
  else problem = `must be ${expected}, got ${describe(value)}`;
  throw new CloudSoarArgumentError(where, `${problem}; ${UNSENT}`);
}

const patterns = new Map<string, RegExp>();
function pattern(source: string): RegExp {
  let compiled = patterns.get(source);
  if (!compiled) {
    compiled = new RegExp(source, 'u');
    patterns.set(source, compiled);
  }
  return compiled;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Walks `value` along `tree`; objects marked by withUnknownFields and values that are not plain data are not looked into. */
function checkKeys(value: unknown, tree: KeyTree, where: string, label: string): void {
  let shape = tree;
  while (typeof shape === 'string') shape = argumentTable.shapes[shape] ?? 0;
  if (shape === 0 || typeof value !== 'object' || value === null || isUnchecked(value)) return;
  if (Array.isArray(shape)) {
    if (Array.isArray(value))
      for (const [index, item] of value.entries()) checkKeys(item, shape[0], `${where}[${index}]`, label);
    return;
  }
  if (!isPlainObject(value)) return; // FormData, Blob, a string body: sent as given
  const object: Record<string, KeyTree> = shape;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    let child = Object.hasOwn(object, key) && key !== '*' && !key.startsWith('^') ? object[key] : undefined;
    if (child === undefined) {
      const matching = Object.keys(object).find(
        (candidate) => candidate.startsWith('^') && pattern(candidate).test(key),
      );
      if (matching) child = object[matching];
      else if (Object.hasOwn(object, '*')) continue;
      else
        throw unknownKey(
          `${where}.${key}`,
          key,
          Object.keys(object).filter((name) => name !== '*' && !name.startsWith('^')),
          'a field',
          label,
        );
    }
    // Only objects and lists have keys to check below them.
    if (child !== 0 && typeof item === 'object' && item !== null) checkKeys(item, child!, `${where}.${key}`, label);
  }
}

function unknownKey(
  where: string,
  key: string,
  known: readonly string[],
  what: string,
  label: string,
): CloudSoarArgumentError {
  const nearest = closest(key, known);
  const hint = nearest ? ` (did you mean \`${nearest}\`?)` : known.length ? ` (known: ${known.join(', ')})` : '';
  return new CloudSoarArgumentError(
    where,
    `is not ${what} of ${label}${hint}; ${UNSENT}. A field the description does not know yet can be sent with withUnknownFields(...) — and please tell us (README, "Help us grade the API")`,
  );
}

/** The known name closest to `key` by edit distance, when close enough to be a typo. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const name of known) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

function describe(value: unknown): string {
  return typeof value === 'string'
    ? `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
    : typeof value === 'object'
      ? value === null
        ? 'null'
        : Array.isArray(value)
          ? 'a list'
          : 'an object'
      : `${typeof value} ${String(value)}`;
}
