// What the build adds to the bundled description beyond what redocly bundles. Kept in one place so
// the bundle, the docs and the types all see the same document. None of it changes the API: it
// renders what spec/ already says (evidence grades, XML forms of the examples, code samples).
import { toXml } from '../../src/xml/codec.ts';
import { codeSamples } from './code-samples.mjs';
import { deref } from './json-pointer.mjs';
import { drfOperationId } from '../../src/operation-ids.ts';

export const GRADES = {
  E: { label: 'observed', short: 'observed', color: '#1a7f37', meaning: 'seen in working client code or in documentation' },
  O: { label: 'operationId only', short: 'opId only', color: '#9a6700', meaning: 'only the vendor operationId is known; the path follows its naming scheme' },
  P: { label: 'inferred', short: 'inferred', color: '#cf222e', meaning: 'the capability is proven, the HTTP shape is our inference' },
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Yields every operation of a bundled document with its path and method. */
export function* operationsOf(document) {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) if (item[method]) yield { path, method, item, operation: item[method] };
  }
}

/** Badge and first description line from `x-evidence`, so readers see the grade on the operation. */
function showEvidence(operation, where) {
  const evidence = operation['x-evidence'];
  const grade = GRADES[evidence?.grade];
  if (!grade || !Array.isArray(evidence.sources)) throw new Error(`${where}: x-evidence must be {grade: E|O|P, sources: [...]}`);
  const sources = evidence.sources.length > 0 ? evidence.sources.join(', ') : 'none';
  operation['x-badges'] = [{ name: `${evidence.grade} · ${grade.short}`, color: grade.color, position: 'after' }];
  operation.description = `**Evidence ${evidence.grade} — ${grade.label}** (${grade.meaning}; sources: ${sources}).\n\n${operation.description ?? ''}`;
}

/**
 * Writes the XML documents the codec makes from the JSON examples into `x-examples` of the request
 * body or response, keyed by media type, and leaves the `application/xml` media type with its schema
 * only. Redoc shows `x-examples` as that media type's examples; stock linters (Spectral's
 * `oas3-valid-media-example`) would otherwise read an XML string as an invalid object.
 * `inlineXmlExamples` (./xml-examples.mjs) puts them back where Prism and the tests look for them.
 */
function xmlExamples(document, owner, where) {
  const xml = owner?.content?.['application/xml'];
  if (!xml) return;
  const context = { components: document.components };
  const examples = {};
  for (const [name, example] of Object.entries(xml.examples ?? {})) {
    const resolved = deref(document, example);
    try {
      examples[name] = { ...resolved, value: toXml(resolved.value, xml.schema, context) };
    } catch (error) {
      throw new Error(`${where} example ${name}: ${error.message}`);
    }
  }
  const { examples: _json, ...schemaOnly } = xml;
  owner.content['application/xml'] = schemaOnly;
  if (Object.keys(examples).length > 0) owner['x-examples'] = { ...owner['x-examples'], 'application/xml': examples };
}

function firstExample(document, media) {
  const [first] = Object.values(media?.examples ?? {});
  return first ? deref(document, first).value : media?.example;
}

function multipartExample(document, media) {
  const schema = deref(document, media.schema);
  return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([name, property]) => [name, deref(document, property).examples?.[0]]));
}

function samplesFor(document, path, method, item, operation) {
  const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((parameter) => deref(document, parameter));
  const content = deref(document, operation.requestBody)?.content ?? {};
  let body;
  if (content['application/json']) body = { mediaType: 'application/json', value: firstExample(document, content['application/json']) };
  else if (content['multipart/form-data']) body = { mediaType: 'multipart/form-data', value: multipartExample(document, content['multipart/form-data']) };
  const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
  const successContent = deref(document, success?.[1])?.content ?? {};
  const response = { binary: 'application/octet-stream' in successContent, hasBody: Object.keys(successContent).length > 0 };
  const server = (item.servers ?? document.servers)[0];
  return codeSamples({ path, method, parameters, body, response, server, clientServer: document.servers[0] });
}

/** Returns the bundled document ready to write. */
export function postProcessBundle(document) {
  for (const { path, method, item, operation } of operationsOf(document)) {
    const where = `${method.toUpperCase()} ${path}`;
    showEvidence(operation, where);
    operation['x-codeSamples'] = samplesFor(document, path, method, item, operation);
    if (operation.requestBody && !operation.requestBody.$ref) xmlExamples(document, operation.requestBody, `${where} request`);
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!response.$ref) xmlExamples(document, response, `${where} ${status}`);
    }
  }
  for (const [name, response] of Object.entries(document.components?.responses ?? {})) xmlExamples(document, response, `response ${name}`);
  return document;
}

/**
 * Small tables the client needs at run time, taken from the finished bundle: operationIds by
 * "METHOD /path/", and for XML the body schemas by operation and status plus the schemas they use.
 */
export function runtimeTables(document) {
  const operationIdExceptions = {};
  const requests = {};
  const responses = {};
  for (const { path, method, operation } of operationsOf(document)) {
    const key = `${method.toUpperCase()} ${path}`;
    if (drfOperationId(method, path) !== operation.operationId) operationIdExceptions[key] = operation.operationId;
    const request = deref(document, operation.requestBody)?.content?.['application/xml']?.schema;
    if (request) requests[key] = request;
    for (const [status, response] of Object.entries(operation.responses)) {
      const schema = deref(document, response)?.content?.['application/xml']?.schema;
      if (schema) (responses[key] ??= {})[status] = schema;
    }
  }
  const schemas = Object.fromEntries(Object.entries(document.components.schemas).map(([name, schema]) => [name, codecView(schema)]));
  return { operationIdExceptions, xmlSchemas: { components: { schemas }, requests, responses } };
}

// Only what the XML codec reads; descriptions and examples would only make the client larger.
const CODEC_KEYWORDS = new Set(['$ref', 'type', 'const', 'enum', 'properties', 'patternProperties', 'additionalProperties', 'items', 'required', 'oneOf', 'anyOf', 'allOf', 'xml']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties']);

function codecView(schema) {
  if (typeof schema !== 'object' || schema === null) return schema;
  const view = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!CODEC_KEYWORDS.has(key)) continue;
    if (SCHEMA_MAPS.has(key)) view[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, codecView(sub)]));
    else if (key === 'oneOf' || key === 'anyOf' || key === 'allOf') view[key] = value.map(codecView);
    else if (key === 'items' || key === 'additionalProperties') view[key] = codecView(value);
    else view[key] = value;
  }
  return view;
}
