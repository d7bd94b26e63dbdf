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
