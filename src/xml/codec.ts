// Schema-driven XML for the Cloud SOAR description. The vendor says payloads may be XML but no
// public client shows the format, so this module defines it from the OpenAPI `xml` keywords:
// - the root element is the body schema's `xml.name`;
// - a property is an element named after the property (an inline `xml.name` renames it);
// - an array is wrapped when `xml.wrapped` is true (items named by `items.xml.name`, else `item`),
//   otherwise its items repeat under the property's name;
// - null is an empty element with `nil="true"`;
// - scalars are read back with the type the schema gives them.
// The same functions make the docs' XML examples, check them in the tests, and carry the client's
// `cloudsoar-v3/xml` middleware, so all three agree. The schemas come from the build's codec view
// (tools/kit/spec.ts): `allOf` is merged there, and `$ref`s name schemas in that table.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export type JsonSchema = { [keyword: string]: unknown };
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The schemas `$ref`s name, as the build makes them (tools/kit/spec.ts `xmlCodecContext`): only
 * the keywords the codec reads, `allOf` already merged.
 */
export interface SchemaContext {
  components: { schemas: Record<string, JsonSchema> };
}

/** Raised when a value cannot be written as XML or a document cannot be read against its schema. */
export class XmlCodecError extends Error {
  override readonly name = 'XmlCodecError';
  constructor(
    readonly at: string,
    message: string,
  ) {
    super(`${at || '/'}: ${message}`);
  }
}

const XML_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;
const NIL = '@_nil';

/** A schema with its `$ref` (a name in the generated table) looked up; siblings of `$ref` refine the target. */
function resolve(schema: unknown, context: SchemaContext, seen = 0): JsonSchema {
  if (typeof schema !== 'object' || schema === null) return {};
  const { $ref: ref, ...siblings } = schema as JsonSchema;
  if (typeof ref !== 'string') return schema as JsonSchema;
  if (seen > 32) throw new XmlCodecError('', `reference cycle at ${ref}`);
  const target = context.components.schemas[ref.replace(/^#\/components\/schemas\//, '')];
  if (target === undefined) throw new XmlCodecError('', `unresolvable reference ${ref}`);
  return { ...resolve(target, context, seen + 1), ...siblings };
}

function xmlOf(schema: JsonSchema): { name?: string; wrapped?: boolean } {
  return (schema.xml as { name?: string; wrapped?: boolean } | undefined) ?? {};
}

function typesOf(schema: JsonSchema): string[] {
  const type = schema.type;
  if (Array.isArray(type)) return type as string[];
  if (typeof type === 'string') return [type];
  if ('const' in schema)
    return [schema.const === null ? 'null' : typeof schema.const === 'number' ? 'number' : typeof schema.const];
  if (schema.properties || schema.patternProperties || schema.additionalProperties !== undefined) return ['object'];
  if (schema.items) return ['array'];
  return [];
}

/** The variants of a schema with oneOf/anyOf, or the schema itself (allOf is merged at generate time). */
function variantsOf(schema: JsonSchema, context: SchemaContext): JsonSchema[] {
  const choices = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (!Array.isArray(choices)) return [schema];
  return choices.flatMap((choice) => variantsOf({ xml: schema.xml, ...resolve(choice, context) }, context));
}

function fits(value: Json, schema: JsonSchema): boolean {
  const types = typesOf(schema);
  if ('const' in schema && schema.const !== undefined) {
    return false; // const only decides inside objects (see objectFits)
  }
  if (value === null) return types.includes('null');
  if (Array.isArray(value)) return types.includes('array');
  if (typeof value === 'object') return types.includes('object') || types.length === 0;
  if (typeof value === 'number')
    return types.includes('number') || (types.includes('integer') && Number.isInteger(value)) || types.length === 0;
  return types.includes(typeof value) || types.length === 0;
}

/** The one value a schema allows: `const`, or a one-value `enum` (the portable spelling, see spec/README.md). */
function pinnedValue(schema: JsonSchema): { value: unknown } | undefined {
  if ('const' in schema && schema.const !== undefined) return { value: schema.const };
  if (Array.isArray(schema.enum) && schema.enum.length === 1) return { value: schema.enum[0] };
  return undefined;
}

function objectFits(value: { [key: string]: Json }, schema: JsonSchema, context: SchemaContext): boolean {
  if (!typesOf(schema).includes('object')) return false;
  const required = (schema.required as string[] | undefined) ?? [];
  if (!required.every((key) => key in value)) return false;
  for (const [key, property] of Object.entries((schema.properties as Record<string, unknown>) ?? {})) {
    if (property === false && key in value) return false;
    const resolved = resolve(property, context);
    const pinned = pinnedValue(resolved);
    if (pinned && key in value && value[key] !== pinned.value) return false;
  }
  return true;
}

function chooseVariant(value: Json, schema: JsonSchema, context: SchemaContext): JsonSchema {
  const variants = variantsOf(schema, context);
  if (variants.length === 1) return variants[0]!;
  const chosen = variants.find((variant) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? objectFits(value, variant, context)
      : fits(value, variant),
  );
  return chosen ?? variants[0]!;
}

function propertySchema(schema: JsonSchema, key: string, context: SchemaContext): JsonSchema {
  const properties = (schema.properties as Record<string, unknown>) ?? {};
  if (key in properties) return resolveProperty(properties[key], context);
  for (const [pattern, property] of Object.entries((schema.patternProperties as Record<string, unknown>) ?? {})) {
    if (new RegExp(pattern, 'u').test(key)) return resolveProperty(property, context);
  }
  const additional = schema.additionalProperties;
  return additional === undefined || additional === true ? {} : resolveProperty(additional, context);
}

/** A property's element name is the property's own; a referenced schema's `xml.name` does not rename it. */
function resolveProperty(property: unknown, context: SchemaContext): JsonSchema {
  if (typeof property !== 'object' || property === null) return {};
  // Only `xml` written on the property itself (inline, or beside its $ref) names the element.
  return { ...resolve(property, context), xml: (property as JsonSchema).xml };
}

function itemSchema(schema: JsonSchema, context: SchemaContext): JsonSchema {
  return resolve(schema.items, context);
}

// ---------- writing ----------

type XmlNode = Record<string, unknown> | string | number | boolean;

function toNode(value: Json, schema: JsonSchema, context: SchemaContext, at: string): XmlNode {
  const variant = chooseVariant(value, schema, context);
  if (value === null) return { [NIL]: 'true' };
  if (Array.isArray(value)) throw new XmlCodecError(at, 'an array must be an element of an object or a wrapped root');
  if (typeof value !== 'object') return typeof value === 'string' ? value : String(value);
  const node: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!XML_NAME.test(key)) throw new XmlCodecError(`${at}/${key}`, `"${key}" is not a valid XML element name`);
    const childSchema = propertySchema(variant, key, context);
    const name = xmlOf(childSchema).name ?? key;
    if (Array.isArray(child)) {
      // An array the schema does not describe is written wrapped, its items named <item>, so that
      // a one-item list reads back as a list.
      const freeForm = typesOf(childSchema).length === 0;
      const wrapped = freeForm || xmlOf(childSchema).wrapped === true;
      const items = freeForm ? {} : itemSchema(chooseVariant(child, childSchema, context), context);
      const itemName = xmlOf(items).name ?? (wrapped ? 'item' : name);
      const nodes = child.map((item, index) => toNode(item, items, context, `${at}/${key}/${index}`));
      if (wrapped) node[name] = nodes.length === 0 ? '' : { [itemName]: nodes };
      else if (nodes.length > 0) node[itemName] = nodes;
    } else {
      node[name] = toNode(child, childSchema, context, `${at}/${key}`);
    }
  }
  return node;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: false,
  suppressBooleanAttributes: false,
});

/** Writes `value` as an XML document whose root and element names come from `schema`. */
export function toXml(value: unknown, schema: JsonSchema, context: SchemaContext): string {
  const root = resolve(schema, context);
  const json = value as Json;
  const variant = chooseVariant(json, root, context);
  const rootName = xmlOf(variant).name ?? xmlOf(root).name ?? 'root';
  let body: XmlNode;
  if (Array.isArray(json)) {
    const items = itemSchema(variant, context);
    const itemName = xmlOf(items).name ?? 'item';
    body =
      json.length === 0 ? '' : { [itemName]: json.map((item, index) => toNode(item, items, context, `/${index}`)) };
  } else {
    body = toNode(json, variant, context, '');
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [rootName]: body })}`;
}

// ---------- reading ----------

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  processEntities: true,
});

function isNil(node: unknown): boolean {
  return typeof node === 'object' && node !== null && (node as Record<string, unknown>)[NIL] === 'true';
}

function scalarFrom(text: string, schema: JsonSchema, at: string): Json {
  const types = typesOf(schema);
  if (types.length === 0) return text;
  if (
    (types.includes('integer') && /^-?\d+$/.test(text)) ||
    (types.includes('number') && text.trim() !== '' && !Number.isNaN(Number(text)))
  ) {
    return Number(text);
  }
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  if (types.includes('string')) return text;
  if (types.includes('array') && text === '') return [];
  if (types.includes('object') && text === '') return {};
  throw new XmlCodecError(at, `"${text}" is not ${types.join(' or ')}`);
}

function fromNode(node: unknown, schema: JsonSchema, context: SchemaContext, at: string): Json {
  if (isNil(node)) return null;
  const variants = variantsOf(schema, context);
  let lastError: unknown;
  for (const variant of variants) {
    try {
      return fromNodeAs(node, variant, context, at);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function asList(node: unknown): unknown[] {
  return node === undefined || node === '' ? [] : Array.isArray(node) ? node : [node];
}

function fromNodeAs(node: unknown, schema: JsonSchema, context: SchemaContext, at: string): Json {
  const types = typesOf(schema);
  if (typeof node !== 'object' || node === null) {
    const text = node === undefined ? '' : String(node);
    return scalarFrom(text, schema, at);
  }
  if (Array.isArray(node)) throw new XmlCodecError(at, 'repeated element where one was expected');
  const element = node as Record<string, unknown>;
  if (types.length === 0 && Object.keys(element).length === 1 && 'item' in element) {
    return asList(element.item).map((item, index) => fromNode(item, {}, context, `${at}/${index}`));
  }
  if (types.length > 0 && !types.includes('object')) {
    if (types.includes('array')) throw new XmlCodecError(at, 'an array needs its own element');
    throw new XmlCodecError(at, `element with children where ${types.join(' or ')} was expected`);
  }
  const result: { [key: string]: Json } = {};
  const properties = (schema.properties as Record<string, unknown>) ?? {};
  const consumed = new Set<string>();
  // Declared properties first: they may be renamed or unwrapped arrays.
  for (const key of Object.keys(properties)) {
    const childSchema = propertySchema(schema, key, context);
    if (properties[key] === false) continue;
    const name = xmlOf(childSchema).name ?? key;
    const childVariants = variantsOf(childSchema, context);
    const isArray =
      childVariants.some((variant) => typesOf(variant).includes('array')) &&
      !childVariants.some((v) => typesOf(v).includes('string'));
    if (isArray) {
      const items = itemSchema(childVariants.find((variant) => typesOf(variant).includes('array'))!, context);
      const itemName = xmlOf(items).name ?? (xmlOf(childSchema).wrapped ? 'item' : name);
      if (xmlOf(childSchema).wrapped) {
        if (!(name in element)) continue;
        consumed.add(name);
        const wrapper = element[name];
        if (isNil(wrapper)) {
          result[key] = null;
          continue;
        }
        const list =
          typeof wrapper === 'object' && wrapper !== null
            ? asList((wrapper as Record<string, unknown>)[itemName])
            : asList(wrapper);
        result[key] = list.map((item, index) => fromNode(item, items, context, `${at}/${key}/${index}`));
      } else {
        if (!(itemName in element)) continue;
        consumed.add(itemName);
        result[key] = asList(element[itemName]).map((item, index) =>
          fromNode(item, items, context, `${at}/${key}/${index}`),
        );
      }
      continue;
    }
    if (!(name in element)) continue;
    consumed.add(name);
    result[key] = fromNode(element[name], childSchema, context, `${at}/${key}`);
  }
  for (const [name, child] of Object.entries(element)) {
    if (consumed.has(name) || name.startsWith('@_')) continue;
    const childSchema = propertySchema(schema, name, context);
    if (Array.isArray(child)) {
      result[name] = child.map((item, index) =>
        fromNode(
          item,
          typesOf(childSchema).includes('array') ? itemSchema(childSchema, context) : childSchema,
          context,
          `${at}/${name}/${index}`,
        ),
      );
    } else if (typesOf(childSchema).includes('array') && !typesOf(childSchema).includes('string')) {
      const items = itemSchema(childSchema, context);
      const list =
        typeof child === 'object' && child !== null && !isNil(child)
          ? Object.values(child as Record<string, unknown>).flatMap(asList)
          : asList(child);
      result[name] = list.map((item, index) => fromNode(item, items, context, `${at}/${name}/${index}`));
    } else {
      result[name] = fromNode(child, childSchema, context, `${at}/${name}`);
    }
  }
  for (const key of (schema.required as string[] | undefined) ?? []) {
    if (!(key in result)) throw new XmlCodecError(at, `missing required element for "${key}"`);
  }
  // A variant told apart by a constant (the playbook node `type`) only fits when the constant matches.
  for (const [key, property] of Object.entries(properties)) {
    const resolved = resolve(property, context);
    const pinned = pinnedValue(resolved);
    if (pinned && key in result && result[key] !== pinned.value) {
      throw new XmlCodecError(`${at}/${key}`, `expected ${JSON.stringify(pinned.value)}`);
    }
  }
  return result;
}

/**
 * Reads an XML document against `schema`. With `rootName`, the root element must carry that name
 * (pass `false` to accept any root, as Prism's `<xml>` wrapper needs).
 */
export function fromXml(
  text: string,
  schema: JsonSchema,
  context: SchemaContext,
  { rootName }: { rootName?: string | false } = {},
): unknown {
  let document: Record<string, unknown>;
  try {
    document = parser.parse(text, true) as Record<string, unknown>;
  } catch (error) {
    throw new XmlCodecError('', `not well-formed XML: ${(error as Error).message}`);
  }
  const roots = Object.keys(document).filter((key) => !key.startsWith('?'));
  if (roots.length !== 1) throw new XmlCodecError('', `expected one root element, found ${roots.length}`);
  const root = roots[0]!;
  const resolved = resolve(schema, context);
  const expected = rootName ?? (rootName === false ? undefined : xmlOf(resolved).name);
  if (rootName !== false && expected && root !== expected) {
    throw new XmlCodecError('', `root element is <${root}>, expected <${expected}>`);
  }
  const node = document[root];
  const variants = variantsOf(resolved, context);
  let lastError: unknown;
  for (const variant of variants) {
    try {
      if (typesOf(variant).includes('array')) {
        const items = itemSchema(variant, context);
        const itemName = xmlOf(items).name ?? 'item';
        if (
          typeof node === 'object' &&
          node !== null &&
          !Array.isArray(node) &&
          Object.keys(node).some((key) => key !== itemName && !key.startsWith('@_'))
        ) {
          throw new XmlCodecError('', `expected only <${itemName}> items`);
        }
        const list =
          typeof node === 'object' && node !== null
            ? asList((node as Record<string, unknown>)[itemName])
            : asList(node);
        return list.map((item, index) => fromNode(item, items, context, `/${index}`));
      }
      return fromNodeAs(node, variant, context, '');
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
