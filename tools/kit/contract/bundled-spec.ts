// The bundled description as the tests see it: operations by operationId, and Ajv (JSON Schema
// 2020-12) validators for every documented response body.
import { readFile } from 'node:fs/promises';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { BUNDLED_SPEC } from '../repo.js';
import { type HttpMethod, type Json, OpenApiDocument } from '../spec.js';
import { inlineXmlExamples } from '../xml-examples.js';

export interface SpecOperation {
  operationId: string;
  method: HttpMethod;
  path: string;
  operation: Json;
  /** Documented responses by status, with response-level $refs resolved. */
  responses: Record<string, { response: Json }>;
}

const SPEC_ID = 'https://cloudsoar-v3.local/openapi.json';

export class BundledSpec {
  readonly operations: Map<string, SpecOperation>;
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  readonly document: Json;

  constructor(readonly openapi: OpenApiDocument) {
    const document = openapi.document;
    this.document = document;
    this.operations = new Map();
    for (const { path, method, operation } of openapi.operations()) {
      const responses = Object.fromEntries(
        Object.entries(openapi.responses(operation)).map(([status, response]) => [status, { response }]),
      );
      this.operations.set(operation.operationId, {
        operationId: operation.operationId,
        method,
        path,
        operation,
        responses,
      });
    }
    this.ajv = new Ajv2020({ strict: true, allErrors: true, strictTypes: false });
    // OpenAPI's own schema keywords, which JSON Schema 2020-12 does not know.
    this.ajv.addVocabulary(['xml', 'example', 'discriminator', 'externalDocs']);
    // `components` is addressed by JSON pointer only; it is not a schema itself.
    this.ajv.addVocabulary(['components']);
    addFormats.default(this.ajv);
    this.ajv.addSchema({ $id: SPEC_ID, components: document.components } as Json);
  }

  operation(operationId: string): SpecOperation {
    const found = this.operations.get(operationId);
    if (!found) throw new Error(`no operation ${operationId} in the bundled spec`);
    return found;
  }

  /** Validator for the body of `operationId`'s `status` response in `mediaType`, or undefined if none is documented. */
  responseValidator(operationId: string, status: string, mediaType: string): ValidateFunction | undefined {
    const schema = this.operation(operationId).responses[status]?.response.content?.[mediaType]?.schema;
    return schema ? this.ajvFor(schema) : undefined;
  }

  /** Validator for a schema taken from the bundled document (its `#/components/...` refs resolve there). */
  ajvFor(schema: Json): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile({ $id: `${SPEC_ID}/inline/${this.validators.size}`, allOf: [rebase(schema)] });
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/** Points `#/…` refs of a schema lifted out of the document back into the document. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${SPEC_ID}${value}` : rebase(value),
    ]),
  );
}

/** `document` (a bundled description) opened for the checks. */
export async function openBundledSpec(document: Json): Promise<BundledSpec> {
  return new BundledSpec(await OpenApiDocument.open(document));
}

let cached: Promise<BundledSpec> | undefined;
/** generated/openapi.yaml, read once per process, with its XML examples in their media types as Prism serves them. */
export function loadBundledSpec(): Promise<BundledSpec> {
  cached ??= readFile(BUNDLED_SPEC, 'utf8').then((text) => openBundledSpec(inlineXmlExamples(parse(text))));
  return cached;
}
