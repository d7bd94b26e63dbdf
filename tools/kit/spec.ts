// The one walk over an OpenAPI document, for the build, the CLIs and the tests: its operations,
// parameters, request bodies, examples and responses, with `$ref`s resolved by
// json-schema-ref-parser; and the XML codec's view of its schemas.
import { $RefParser, type $Refs } from '@apidevtools/json-schema-ref-parser';
import { HTTP_METHODS as CLIENT_METHODS } from '../../src/operation-ids.js';

// OpenAPI documents are read as plain JSON; their shapes are checked by the linters, not here.
// biome-ignore lint/suspicious/noExplicitAny: documents are untyped JSON by nature
export type Json = Record<string, any>;
export type HttpMethod = Lowercase<(typeof CLIENT_METHODS)[number]>;
/** The methods a path item may hold, as OpenAPI spells them (the client's list, lower case). */
export const HTTP_METHODS = CLIENT_METHODS.map((method) => method.toLowerCase() as HttpMethod);
/** The methods an API operation is made of; OPTIONS, HEAD and TRACE are the server's own. */
export const OPERATION_METHODS = HTTP_METHODS.filter((method) => !['options', 'head', 'trace'].includes(method));

export interface WalkedOperation {
  path: string;
  method: HttpMethod;
  item: Json;
  operation: Json;
}

/** Every operation of a document with its path, method and path item (no reference followed). */
export function* operationsOf(document: Json): Generator<WalkedOperation> {
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of HTTP_METHODS) if (item[method]) yield { path, method, item, operation: item[method] };
  }
}

const isRef = (node: unknown): node is { $ref: string } => typeof (node as Json | null)?.$ref === 'string';

/** A document whose local `$ref`s resolve; `open` it once, then walk it synchronously. */
export class OpenApiDocument {
  private codecContext: { components: { schemas: Record<string, Json> } } | undefined;

  private constructor(
    readonly document: Json,
    private readonly refs: $Refs,
  ) {}

  /** Resolves the document's references (local ones only: a bundle has no others). */
  static async open(document: Json): Promise<OpenApiDocument> {
    const refs = await new $RefParser().resolve(document, { resolve: { external: false } });
    return new OpenApiDocument(document, refs as $Refs);
  }

  /** `node` with its `$ref` chain followed to the end; any other node as it is. */
  // biome-ignore lint/suspicious/noExplicitAny: a node of an untyped document
  deref(node: any): any {
    if (!isRef(node)) return node;
    const target = this.refs.get(node.$ref);
    // The resolver follows a chain of references and stops where it would go round: a cycle.
    if (isRef(target)) throw new Error(`reference cycle at ${node.$ref}`);
    return target;
  }

  operations(): Generator<WalkedOperation> {
    return operationsOf(this.document);
  }

  /** The path item's and the operation's parameters, resolved. */
  parameters(item: Json, operation: Json): Json[] {
    return [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((parameter: Json) =>
      this.deref(parameter),
    );
  }

  /** A parameter's documented example: its own, or its schema's first. */
  parameterExample(parameter: Json): unknown {
    const resolved = this.deref(parameter);
    return resolved.example ?? this.deref(resolved.schema)?.examples?.[0];
  }

  /** The request body's media types, resolved. */
  requestContent(operation: Json): Record<string, Json> {
    return this.deref(operation.requestBody)?.content ?? {};
  }

  /** The documented responses by status, resolved. */
  responses(operation: Json): Record<string, Json> {
    return Object.fromEntries(
      Object.entries<Json>(operation.responses ?? {}).map(([status, response]) => [status, this.deref(response)]),
    );
  }

  /** The named examples of a media type, resolved to their values. */
  examples(media: Json | undefined): [string, unknown][] {
    return Object.entries<Json>(media?.examples ?? {}).map(([name, example]) => [name, this.deref(example).value]);
  }

  /** The fields of a multipart form, each with the first example of its schema. */
  multipartExample(media: Json): Record<string, unknown> {
    const schema = this.deref(media.schema);
    return Object.fromEntries(
      Object.entries<Json>(schema.properties ?? {}).map(([name, property]) => [
        name,
        this.deref(property).examples?.[0],
      ]),
    );
  }

  // The XML codec's view of the schemas (src/xml/codec.ts): only the keywords it reads, `allOf`
  // merged here rather than by the codec at run time, `$ref`s left pointing into the view's own
  // `components.schemas`. The build writes it to generated/xml-schemas.ts for the client; the
  // build's XML examples and the tests read XML through the same view.

  /** A schema as the XML codec reads it; its `$ref`s resolve in `xmlCodecContext()`. */
  // biome-ignore lint/suspicious/noExplicitAny: a schema of an untyped document
  xmlCodecSchema(schema: any): any {
    if (typeof schema !== 'object' || schema === null) return schema;
    if (Array.isArray(schema.allOf)) {
      const { allOf, ...own } = schema;
      // The parts' keywords fill in what the schema itself leaves open; properties and required add up.
      const merged: Json = { ...this.xmlCodecSchema(own), properties: {}, required: [] };
      for (const part of allOf as Json[]) {
        const { $ref, ...siblings } = part;
        const target = typeof $ref === 'string' ? { ...this.deref(part), ...siblings } : part;
        for (const [key, value] of Object.entries<unknown>(this.xmlCodecSchema(target))) {
          if (key === 'properties') Object.assign(merged.properties, value);
          else if (key === 'required') merged.required.push(...(value as string[]));
          else if (merged[key] === undefined) merged[key] = value;
        }
      }
      return merged;
    }
    const view: Json = {};
    for (const [key, value] of Object.entries<Json>(schema)) {
      if (!CODEC_KEYWORDS.has(key)) continue;
      if (SCHEMA_MAPS.has(key))
        view[key] = Object.fromEntries(
          Object.entries<Json>(value).map(([name, sub]) => [name, this.xmlCodecSchema(sub)]),
        );
      else if (key === 'oneOf' || key === 'anyOf')
        view[key] = (value as unknown as Json[]).map((choice) => this.xmlCodecSchema(choice));
      else if (key === 'items' || key === 'additionalProperties') view[key] = this.xmlCodecSchema(value);
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

  /** The component schemas as the XML codec reads them (made once). */
  xmlCodecContext(): { components: { schemas: Record<string, Json> } } {
    this.codecContext ??= {
      components: {
        schemas: Object.fromEntries(
          Object.entries<Json>(this.document.components?.schemas ?? {}).map(([name, schema]) => [
            name,
            this.xmlCodecSchema(schema),
          ]),
        ),
      },
    };
    return this.codecContext;
  }
}

const CODEC_KEYWORDS = new Set([
  '$ref',
  'type',
  'const',
  'enum',
  'properties',
  'patternProperties',
  'additionalProperties',
  'items',
  'required',
  'oneOf',
  'anyOf',
  'xml',
]);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties']);
