// Writes take ids where reads give labels (a read shows `restriction: 'LOW'`, a write takes the
// list entry's numeric id). Every id a write takes, in its path or body, says where to find it: an
// operation of this description that lists those ids (named as `METHOD /path/`), or that none is
// known ("No operation lists").
import { describe, expect, it } from 'vitest';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';
import { parametersOf, requestContent } from '../../tools/kit/contract/requests.js';

type Json = Record<string, any>;
const spec = await loadBundledSpec();
const operations = [...spec.operations.values()];
const known = new Set(operations.map(({ method, path }) => `${method.toUpperCase()} ${path}`));

/** An integer, a list of integers, or a choice that includes one of those. */
function isNumeric(node: Json | undefined): boolean {
  const schema = spec.openapi.deref(node);
  if (!schema) return false;
  return (
    [schema.type].flat().includes('integer') ||
    isNumeric(schema.items) ||
    [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some(isNumeric)
  );
}

/** A property or parameter that carries an id: its name says so, or its description does. */
function takesId(name: string, schema: Json | undefined, description: string | undefined): boolean {
  return isNumeric(schema) && (/(^|_)ids?$|^owner$|^assigned_to$/.test(name) || /\bids?\b/i.test(description ?? ''));
}

/** What the description says about where the ids come from, or the problem. */
function sourceProblem(description: string | undefined): string | undefined {
  if (!description) return 'no description';
  if (/\bno operation\s+lists\b/i.test(description)) return undefined;
  const named = [...description.matchAll(/`(GET|POST) (\/[^`\s]*)`/g)].map((match) => `${match[1]} ${match[2]}`);
  if (named.length === 0) return 'names no operation that lists the ids, and does not say none is known';
  const unknown = named.filter((operation) => !known.has(operation));
  return unknown.length > 0 ? `names ${unknown.join(', ')}, which this description does not have` : undefined;
}

/** Every property of a body schema, nested objects, arrays and oneOf/anyOf/allOf branches included. */
function* propertiesOf(
  node: Json | undefined,
  at: string,
  seen = new Set<Json>(),
): Generator<{ at: string; name: string; schema: Json }> {
  const schema = spec.openapi.deref(node);
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
  seen.add(schema);
  for (const branch of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])])
    yield* propertiesOf(branch, at, seen);
  if (schema.items) yield* propertiesOf(schema.items, `${at}[]`, seen);
  for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
    const resolved = spec.openapi.deref(property);
    yield { at: `${at}.${name}`, name, schema: resolved };
    yield* propertiesOf(resolved, `${at}.${name}`, seen);
  }
}

const writes = operations.filter(({ method }) => method !== 'get');
const ids = writes.flatMap((operation) => {
  const found: { where: string; description: string | undefined }[] = [];
  for (const parameter of parametersOf(spec, operation)) {
    if (takesId(parameter.name, parameter.schema, parameter.description))
      found.push({
        where: `${operation.operationId} ${parameter.in} ${parameter.name}`,
        description: parameter.description,
      });
  }
  const content = requestContent(spec, operation);
  const media = content['application/json'] ?? content['multipart/form-data'];
  for (const { at, name, schema } of propertiesOf(media?.schema, 'body')) {
    if (takesId(name, schema, schema.description))
      found.push({ where: `${operation.operationId} ${at}`, description: schema.description });
  }
  return found;
});

describe('ids in writes', () => {
  it('are found in the path and body of the writes', () => {
    expect(ids.length).toBeGreaterThan(20);
    expect(ids.map(({ where }) => where)).toEqual(
      expect.arrayContaining([
        'incidents_create body.fields.restriction',
        'incidents_phase_update body.phase_id',
        'incidents_owner_update body.owner_id',
      ]),
    );
  });

  it('each say which operation lists them, or that none is known', () => {
    const problems = ids.flatMap(({ where, description }) => {
      const problem = sourceProblem(description);
      return problem ? [`${where}: ${problem}`] : [];
    });
    expect([...new Set(problems)]).toEqual([]);
  });

  it('would catch a description that names no source or an operation that does not exist', () => {
    expect(sourceProblem('Numeric id of the target phase.')).toMatch(/names no operation/);
    expect(sourceProblem('Ids from `GET /phases/`.')).toMatch(/does not have/);
    expect(sourceProblem('Ids from `GET /users/`.')).toBeUndefined();
  });
});
