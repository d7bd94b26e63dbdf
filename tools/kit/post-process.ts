// What the build adds to the bundled description beyond what redocly bundles. Kept in one place so
// the bundle, the docs and the types all see the same document. None of it changes the API: it
// renders what spec/ already says (evidence grades, XML forms of the examples, code samples).
import { drfOperationId } from '../../src/operation-ids.js';
import { toXml } from '../../src/xml/codec.js';
import type { XmlSchemaTable } from '../../src/xml/table.js';
import { type CodeSample, codeSamples, type SampleInput } from './code-samples.js';
import { applyRecords, type KeyedRecord } from './evidence-records.js';
import { type Json, OpenApiDocument, operationsOf } from './spec.js';

type Grade = 'E' | 'O' | 'P' | 'L';
export const GRADES: Record<Grade, { label: string; short: string; color: string; meaning: string }> = {
  E: {
    label: 'observed',
    short: 'observed',
    color: '#1a7f37',
    meaning: 'seen in working client code or in documentation',
  },
  O: {
    label: 'operationId only',
    short: 'opId only',
    color: '#9a6700',
    meaning: 'only the vendor operationId is known; the path follows its naming scheme',
  },
  // Grey, not red: P is a grade most operations carry, not an error (the introduction's legend names the colours).
  P: {
    label: 'inferred',
    short: 'inferred',
    color: '#57606a',
    meaning: 'the capability is proven, the HTTP shape is our inference',
  },
  // Never written in spec/: the build sets it from committed records (evidence-records.ts).
  L: {
    label: 'live-observed',
    short: 'live',
    color: '#0969da',
    meaning: 'confirmed on a real tenant by a committed observation record under spec/evidence/',
  },
};

/** Badge and first description line from `x-evidence`, so readers see the grade on the operation. */
export function showEvidence(operation: Json, where: string): void {
  const evidence = operation['x-evidence'];
  const grade = GRADES[evidence?.grade as Grade];
  if (!grade || !Array.isArray(evidence.sources))
    throw new Error(
      `${where}: x-evidence must be {grade: E|O|P, sources: [...]} (L comes from spec/evidence/ records)`,
    );
  const sources = evidence.sources.length > 0 ? evidence.sources.join(', ') : 'none';
  operation['x-badges'] = [{ name: `${evidence.grade} · ${grade.short}`, color: grade.color, position: 'after' }];
  operation.description = `**Evidence ${evidence.grade} — ${grade.label}** (${grade.meaning}; sources: ${sources}).\n\n${operation.description ?? ''}`;
}

/**
 * Writes the XML documents the codec makes from the JSON examples into `x-examples` of the request
 * body or response, keyed by media type, and leaves the `application/xml` media type with its schema
 * only. Redoc shows `x-examples` as that media type's examples; stock linters (Spectral's
 * `oas3-valid-media-example`) would otherwise read an XML string as an invalid object.
 * `inlineXmlExamples` (./xml-examples.ts) puts them back where Prism and the tests look for them.
 */
function xmlExamples(spec: OpenApiDocument, owner: Json | undefined, where: string): void {
  const xml = owner?.content?.['application/xml'];
  if (!owner || !xml) return;
  const context = spec.xmlCodecContext();
  const schema = spec.xmlCodecSchema(xml.schema);
  const examples: Json = {};
  for (const [name, example] of Object.entries<Json>(xml.examples ?? {})) {
    const resolved = spec.deref(example);
    try {
      examples[name] = { ...resolved, value: toXml(resolved.value, schema, context) };
    } catch (error) {
      throw new Error(`${where} example ${name}: ${(error as Error).message}`);
    }
  }
  const { examples: _json, ...schemaOnly } = xml;
  owner.content['application/xml'] = schemaOnly;
  if (Object.keys(examples).length > 0) owner['x-examples'] = { ...owner['x-examples'], 'application/xml': examples };
}

function firstExample(spec: OpenApiDocument, media: Json | undefined): unknown {
  const [first] = spec.examples(media);
  return first ? first[1] : media?.example;
}

function samplesFor(spec: OpenApiDocument, path: string, method: string, item: Json, operation: Json): CodeSample[] {
  const { document } = spec;
  const parameters = spec
    .parameters(item, operation)
    .map((parameter) => ({ name: parameter.name, in: parameter.in, example: spec.parameterExample(parameter) }));
  const content = spec.requestContent(operation);
  let body: SampleInput['body'];
  if (content['application/json'])
    body = { mediaType: 'application/json', value: firstExample(spec, content['application/json']) as Json };
  else if (content['multipart/form-data'])
    body = { mediaType: 'multipart/form-data', value: spec.multipartExample(content['multipart/form-data']) };
  const success = Object.entries(spec.responses(operation)).find(([status]) => status.startsWith('2'));
  const successContent = success?.[1].content ?? {};
  const response = {
    binary: 'application/octet-stream' in successContent,
    hasBody: Object.keys(successContent).length > 0,
  };
  const server = (item.servers ?? document.servers)[0];
  return codeSamples({ path, method, parameters, body, response, server, clientServer: document.servers[0] });
}

/** Returns the bundled document ready to write; `records` are the committed observation records. */
export async function postProcessBundle(document: Json, records: KeyedRecord[] = []): Promise<Json> {
  applyRecords(document, records, [...operationsOf(document)]);
  const spec = await OpenApiDocument.open(document);
  for (const { path, method, item, operation } of spec.operations()) {
    const where = `${method.toUpperCase()} ${path}`;
    showEvidence(operation, where);
    operation['x-codeSamples'] = samplesFor(spec, path, method, item, operation);
    if (operation.requestBody && !operation.requestBody.$ref)
      xmlExamples(spec, operation.requestBody, `${where} request`);
    for (const [status, response] of Object.entries<Json>(operation.responses)) {
      if (!response.$ref) xmlExamples(spec, response, `${where} ${status}`);
    }
  }
  for (const [name, response] of Object.entries<Json>(document.components?.responses ?? {}))
    xmlExamples(spec, response, `response ${name}`);
  unwrapDescriptions(document);
  return document;
}

/** Keys whose values are data, not prose: their strings are left as they are. */
const DATA_KEYS = new Set(['example', 'examples', 'x-examples', 'x-codeSamples', 'default', 'enum', 'const']);

/** Every `description` of the document with its paragraphs on one line each (see `unwrapParagraphs`). */
function unwrapDescriptions(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) unwrapDescriptions(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Json)) {
    if (key === 'description' && typeof value === 'string') (node as Json)[key] = unwrapParagraphs(value);
    else if (!DATA_KEYS.has(key)) unwrapDescriptions(value);
  }
}

const BLOCK_START = /^\s*([-*+]\s|\d+[.)]\s|#|>|\||<|```|~~~)/;

/**
 * Joins the soft-wrapped lines of each Markdown paragraph (and list item) with a space. Markdown
 * renders a soft line break as a space anyway; Redoc's search index drops it, so its snippets ran
 * words together ("`closing_note`⏎appears" → "closing_noteappears"). Headings, tables, fences,
 * indented code, blank lines and hard breaks (two trailing spaces) are left as they are.
 */
export function unwrapParagraphs(markdown: string): string {
  const out: string[] = [];
  let fenced = false;
  let code = false;
  for (const line of markdown.split('\n')) {
    const previous = out.at(-1);
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) code = /^( {4}|\t)/.test(line) && (code || previous === undefined || previous.trim() === '');
    const joins =
      !fenced &&
      !code &&
      previous !== undefined &&
      previous.trim() !== '' &&
      line.trim() !== '' &&
      !BLOCK_START.test(line) &&
      !/^\s*(#|\||```|~~~)/.test(previous) &&
      !/( {2}|\\)$/.test(previous) &&
      !/^( {4}|\t)/.test(previous.replace(/^\s*([-*+]|\d+[.)])\s/, ''));
    if (joins) out[out.length - 1] = `${previous.trimEnd()} ${line.trim()}`;
    else out.push(line);
  }
  return out.join('\n');
}

/**
 * Small tables the client needs at run time, taken from the finished bundle: operationIds by
 * "METHOD /path/", and for XML the body schemas by operation and status plus the schemas they use.
 */
export function runtimeTables(spec: OpenApiDocument): {
  operationIdExceptions: Record<string, string>;
  xmlSchemas: XmlSchemaTable;
} {
  const operationIdExceptions: Record<string, string> = {};
  const requests: Json = {};
  const responses: Json = {};
  for (const { path, method, operation } of spec.operations()) {
    const key = `${method.toUpperCase()} ${path}`;
    if (drfOperationId(method, path) !== operation.operationId) operationIdExceptions[key] = operation.operationId;
    const request = spec.requestContent(operation)['application/xml']?.schema;
    if (request) requests[key] = spec.xmlCodecSchema(request);
    for (const [status, response] of Object.entries(spec.responses(operation))) {
      const schema = response.content?.['application/xml']?.schema;
      if (schema) responses[key] = { ...responses[key], [status]: spec.xmlCodecSchema(schema) };
    }
  }
  return { operationIdExceptions, xmlSchemas: { ...spec.xmlCodecContext(), requests, responses } as XmlSchemaTable };
}
