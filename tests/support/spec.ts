// The bundled description as the tests see it: operations by operationId, and Ajv (JSON Schema
// 2020-12) validators for every documented response body.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { HTTP_METHODS, operationsOf, responsesOf, type HttpMethod } from '../../scripts/lib/spec.js';
import { inlineXmlExamples } from '../../scripts/lib/xml-examples.mjs';

export const BUNDLED_SPEC_PATH = fileURLToPath(new URL('../../generated/openapi.yaml', import.meta.url));

type Json = Record<string, any>;
export { HTTP_METHODS };

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

  constructor(readonly document: Json) {
    this.operations = new Map();
    for (const { path, method, operation } of operationsOf(document)) {
      const responses = Object.fromEntries(Object.entries(responsesOf(document, operation)).map(([status, response]) => [status, { response }]));
      this.operations.set(operation.operationId, { operationId: operation.operationId, method, path, operation, responses });
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
    Object.entries(schema).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${SPEC_ID}${value}` : rebase(value)]),
  );
}

let cached: BundledSpec | undefined;
export function loadBundledSpec(): BundledSpec {
  // With the XML examples in their media types, as Prism serves them (see scripts/lib/xml-examples.mjs).
  cached ??= new BundledSpec(inlineXmlExamples(parse(readFileSync(BUNDLED_SPEC_PATH, 'utf8'))));
  return cached;
}
