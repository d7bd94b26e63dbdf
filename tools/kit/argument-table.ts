// The table the client's run-time argument guard reads (src/guard.ts), made from the bundled
// description: per operation its path parameters with their types, the names of its query, header
// and cookie parameters, and what its JSON body may hold, as compact key trees. Closed means what
// openapi-typescript types as closed (no `additionalProperties`, no `patternProperties`), so the
// guard refuses exactly what the types refuse. Named component schemas are kept once, by name.
import type { ArgumentTable, KeyTree, OperationArguments, PathParameter } from '../../src/guard.js';
import type { Json, OpenApiDocument } from './spec.js';

const COMPONENT = /^#\/components\/schemas\/([^/]+)$/;

/** The argument guard's table for `document` (written to generated/arguments.ts by `npm run generate`). */
export function argumentTable(spec: OpenApiDocument): ArgumentTable {
  const { document } = spec;
  const shapes: Record<string, KeyTree> = {};
  const visiting = new Set<string>();

  /** A component's tree, kept by name when it has something to check. */
  function named(name: string): KeyTree {
    if (name in shapes) return shapes[name] === 0 ? 0 : name;
    if (visiting.has(name)) return name; // recursive: resolved by name at run time
    visiting.add(name);
    const tree = treeOf(document.components.schemas[name]);
    visiting.delete(name);
    shapes[name] = tree;
    return tree === 0 ? 0 : name;
  }

  function treeOf(schema: Json | undefined): KeyTree {
    if (!schema || typeof schema !== 'object') return 0;
    const ref = typeof schema.$ref === 'string' ? COMPONENT.exec(schema.$ref) : null;
    if (ref) return named(decodeURIComponent(ref[1]!));
    if (schema.$ref) return treeOf(spec.deref(schema));
    const forms = schema.oneOf ?? schema.anyOf;
    if (Array.isArray(forms)) return union(forms.map(treeOf));
    if (Array.isArray(schema.allOf)) return union(schema.allOf.map(treeOf), true);
    if (schema.type === 'array' || schema.items) return wrapList(treeOf(schema.items));
    const isObject =
      schema.type === 'object' || (Array.isArray(schema.type) && schema.type.includes('object')) || schema.properties;
    // An object with no fields listed says nothing about its keys: not checked.
    if (!isObject || (!schema.properties && !schema.patternProperties)) return 0;
    const tree: Record<string, KeyTree> = {};
    for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
      if (name === '*' || name.startsWith('^'))
        throw new Error(`argument table: property name ${JSON.stringify(name)} collides with the key tree's markers`);
      // `not: {}`: this form forbids the key (another form of a oneOf has it), so it does not know it.
      if (property?.not && typeof property.not === 'object' && Object.keys(property.not).length === 0) continue;
      tree[name] = treeOf(property);
    }
    for (const [pattern, property] of Object.entries<Json>(schema.patternProperties ?? {}))
      tree[pattern.startsWith('^') ? pattern : `^.*${pattern}`] = treeOf(property);
    // openapi-typescript makes a type open for `additionalProperties` true or a schema; `false` or absent is closed.
    if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
      if (Object.values(tree).every((child) => child === 0)) return 0;
      tree['*'] = 0;
    }
    return tree;
  }

  /** `[item]`, or 0 when the items are not checked. */
  function wrapList(item: KeyTree): KeyTree {
    return item === 0 ? 0 : [item];
  }

  /** The keys any form knows (allOf: all parts together); a key known by several forms keeps a tree only if they agree. */
  function union(trees: KeyTree[], all = false): KeyTree {
    const objects: Record<string, KeyTree>[] = [];
    for (const tree of trees) {
      const resolved = typeof tree === 'string' ? shapes[tree] : tree;
      // A form that is open or not an object (or still being built) admits any key: so does the union,
      // unless allOf, where a part without keys adds no constraint.
      if (resolved === undefined || resolved === 0 || Array.isArray(resolved) || typeof resolved !== 'object') {
        if (all && resolved === 0) continue;
        return 0;
      }
      objects.push(resolved);
    }
    if (objects.length === 0) return 0;
    const merged: Record<string, KeyTree> = {};
    for (const object of objects) {
      for (const [key, child] of Object.entries(object))
        merged[key] = key in merged && JSON.stringify(merged[key]) !== JSON.stringify(child) ? 0 : child;
    }
    return merged;
  }

  const operations: Record<string, OperationArguments> = {};
  for (const { path, method, item, operation } of spec.operations()) {
    const entry: OperationArguments = {};
    for (const parameter of spec.parameters(item, operation)) {
      if (parameter.in === 'path')
        entry.path = { ...entry.path, [parameter.name]: pathParameter(spec.deref(parameter.schema) ?? {}) };
      else if (parameter.in === 'query' || parameter.in === 'header' || parameter.in === 'cookie') {
        const where = parameter.in as 'query';
        entry[where] = [...(entry[where] ?? []), parameter.name];
      }
    }
    const json = spec.requestContent(operation)['application/json']?.schema;
    const body = json ? treeOf(json) : 0;
    if (body !== 0) entry.body = body;
    operations[`${method.toUpperCase()} ${path}`] = entry;
  }
  // Only the shapes something refers to by name.
  const used = new Set<string>();
  const collect = (tree: KeyTree | undefined): void => {
    if (typeof tree === 'string') {
      if (!used.has(tree)) {
        used.add(tree);
        collect(shapes[tree]);
      }
    } else if (Array.isArray(tree)) collect(tree[0]);
    else if (tree && typeof tree === 'object') for (const child of Object.values(tree)) collect(child);
  };
  for (const entry of Object.values(operations)) collect(entry.body);
  return {
    shapes: Object.fromEntries(
      Object.entries(shapes)
        .filter(([name]) => used.has(name))
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
    operations,
  };
}

function pathParameter(schema: Json): PathParameter {
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((type: unknown) => type !== 'null');
  const type =
    types.includes('string') || types.length !== 1
      ? 'string'
      : types[0] === 'integer'
        ? 'integer'
        : types[0] === 'number'
          ? 'number'
          : 'string';
  return {
    type,
    ...(typeof schema.minimum === 'number' ? { minimum: schema.minimum } : {}),
    ...(type === 'string' && typeof schema.pattern === 'string' ? { pattern: schema.pattern } : {}),
  };
}
