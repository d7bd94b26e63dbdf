// The one walk over an OpenAPI document, for the build (scripts/, run with tsx) and the tests:
// its operations, JSON Pointers and local $refs, parameters, request bodies, examples, responses.
import { HTTP_METHODS as CLIENT_METHODS } from '../../src/operation-ids.js';

type Json = Record<string, any>;
export type HttpMethod = Lowercase<(typeof CLIENT_METHODS)[number]>;
/** The methods a path item may hold, as OpenAPI spells them (the client's list, lower case). */
export const HTTP_METHODS = CLIENT_METHODS.map((method) => method.toLowerCase() as HttpMethod);

export interface WalkedOperation {
  path: string;
  method: HttpMethod;
  item: Json;
  operation: Json;
}

/** Every operation of a document with its path, method and path item. */
export function* operationsOf(document: Json): Generator<WalkedOperation> {
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of HTTP_METHODS) if (item[method]) yield { path, method, item, operation: item[method] };
  }
}

/** The node at `#/a/b` in `document`; throws naming the pointer when it leads nowhere. */
export function resolvePointer(document: unknown, pointer: string): any {
  return pointer
    .replace(/^#\/?/, '')
    .split('/')
    .filter((token, _index, all) => !(all.length === 1 && token === ''))
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<any>((node, token) => {
      if (node === null || typeof node !== 'object' || !(token in node)) throw new Error(`unresolvable pointer ${pointer}`);
      return node[token];
    }, document);
}

/** `node` with its `$ref` chain followed to the end; any other node as it is. */
export function deref(document: unknown, node: any): any {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === 'string'; hops++) {
    if (hops > 32) throw new Error(`reference cycle at ${node.$ref}`);
    current = resolvePointer(document, current.$ref);
  }
  return current;
}

/** The path item's and the operation's parameters, resolved. */
export function parametersOf(document: Json, item: Json, operation: Json): Json[] {
  return [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((parameter: Json) => deref(document, parameter));
}

/** The request body's media types, resolved. */
export function requestContentOf(document: Json, operation: Json): Record<string, Json> {
  return deref(document, operation.requestBody)?.content ?? {};
}

/** The documented responses by status, resolved. */
export function responsesOf(document: Json, operation: Json): Record<string, Json> {
  return Object.fromEntries(Object.entries<Json>(operation.responses ?? {}).map(([status, response]) => [status, deref(document, response)]));
}

/** The named examples of a media type, resolved to their values. */
export function examplesOf(document: Json, media: Json | undefined): [string, unknown][] {
  return Object.entries<Json>(media?.examples ?? {}).map(([name, example]) => [name, deref(document, example).value]);
}

/** The fields of a multipart form, each with the first example of its schema. */
export function multipartExampleOf(document: Json, media: Json): Record<string, unknown> {
  const schema = deref(document, media.schema);
  return Object.fromEntries(Object.entries<Json>(schema.properties ?? {}).map(([name, property]) => [name, deref(document, property).examples?.[0]]));
}

// The XML codec's view of the schemas (src/xml/codec.ts): only the keywords it reads, `allOf`
// merged here rather than by the codec at run time, `$ref`s left pointing into the view's own
// `components.schemas`. The build writes it to generated/xml-schemas.ts for the client; the build's
// XML examples and the tests read XML through the same view.
const CODEC_KEYWORDS = new Set(['$ref', 'type', 'const', 'enum', 'properties', 'patternProperties', 'additionalProperties', 'items', 'required', 'oneOf', 'anyOf', 'xml']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties']);

/** A schema of `document` as the XML codec reads it; its `$ref`s resolve in `xmlCodecContext(document)`. */
export function xmlCodecSchema(document: Json, schema: any): any {
  if (typeof schema !== 'object' || schema === null) return schema;
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...own } = schema;
    // The parts' keywords fill in what the schema itself leaves open; properties and required add up.
    const merged: Json = { ...xmlCodecSchema(document, own), properties: {}, required: [] };
    for (const part of allOf as Json[]) {
      const { $ref, ...siblings } = part;
      const target = typeof $ref === 'string' ? { ...deref(document, part), ...siblings } : part;
      for (const [key, value] of Object.entries<any>(xmlCodecSchema(document, target))) {
        if (key === 'properties') Object.assign(merged.properties, value);
        else if (key === 'required') merged.required.push(...value);
        else if (merged[key] === undefined) merged[key] = value;
      }
    }
    return merged;
  }
  const view: Json = {};
  for (const [key, value] of Object.entries<any>(schema)) {
    if (!CODEC_KEYWORDS.has(key)) continue;
    if (SCHEMA_MAPS.has(key)) view[key] = Object.fromEntries(Object.entries<any>(value).map(([name, sub]) => [name, xmlCodecSchema(document, sub)]));
    else if (key === 'oneOf' || key === 'anyOf') view[key] = value.map((choice: any) => xmlCodecSchema(document, choice));
    else if (key === 'items' || key === 'additionalProperties') view[key] = xmlCodecSchema(document, value);
    else view[key] = value;
  }
  // A union's own `type` (and `items`), written beside it for Scalar (cloudsoar/typed-composition),
  // repeats its members'; the codec picks a member, so the view leaves them out.
  if (view.oneOf || view.anyOf) {
    delete view.type;
    delete view.items;
  }
  return view;
}

const codecContexts = new WeakMap<object, { components: { schemas: Record<string, Json> } }>();

/** The component schemas of `document` as the XML codec reads them (made once per document). */
export function xmlCodecContext(document: Json): { components: { schemas: Record<string, Json> } } {
  let context = codecContexts.get(document);
  if (!context) {
    const schemas = Object.fromEntries(Object.entries<any>(document.components?.schemas ?? {}).map(([name, schema]) => [name, xmlCodecSchema(document, schema)]));
    codecContexts.set(document, (context = { components: { schemas } }));
  }
  return context;
}
