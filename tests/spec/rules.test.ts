// Rules of the bundled description that lint cannot express: evidence on every operation, JSON and
// XML examples for every body, XML examples that read back to the JSON ones, three code samples.
import { describe, expect, it } from 'vitest';
import { fromXml } from '../../src/xml/codec.js';
import { deref } from '../support/requests.js';
import { loadBundledSpec } from '../support/spec.js';

const spec = loadBundledSpec();
const context = { components: spec.document.components };
const operations = [...spec.operations.values()];
// A file has no JSON or XML form: uploads are multipart, downloads are bytes.
const FILE_MEDIA_TYPES = ['multipart/form-data', 'application/octet-stream'];

interface Body {
  where: string;
  content: Record<string, any>;
}

function bodiesOf(): Body[] {
  const bodies: Body[] = [];
  for (const operation of operations) {
    const request = deref(spec, operation.operation.requestBody);
    if (request) bodies.push({ where: `${operation.operationId} request`, content: request.content });
    for (const [status, { response }] of Object.entries(operation.responses)) {
      if (response.content) bodies.push({ where: `${operation.operationId} ${status}`, content: response.content });
    }
  }
  return bodies;
}

describe('the bundled description', () => {
  it('describes well over 45 operations', () => {
    expect(operations.length).toBeGreaterThan(45);
  });

  it('grades every operation with x-evidence {grade: E|O|P, sources: [S<n>…]}', () => {
    const bad = operations
      .filter(({ operation }) => {
        const evidence = operation['x-evidence'];
        return !['E', 'O', 'P'].includes(evidence?.grade) || !Array.isArray(evidence.sources) || evidence.sources.length === 0 || !evidence.sources.every((s: string) => /^S\d+$/.test(s));
      })
      .map(({ operationId }) => operationId);
    expect(bad).toEqual([]);
  });

  it('shows the grade on every operation (badge and description)', () => {
    const bad = operations
      .filter(({ operation }) => !operation['x-badges']?.[0]?.name?.startsWith(`${operation['x-evidence'].grade} · `) || !operation.description.startsWith(`**Evidence ${operation['x-evidence'].grade}`))
      .map(({ operationId }) => operationId);
    expect(bad).toEqual([]);
  });

  it('documents 404 on every operation whose path has an id', () => {
    const bad = operations.filter(({ path, responses }) => path.includes('{') && !('404' in responses)).map(({ operationId }) => operationId);
    expect(bad).toEqual([]);
  });

  it('has curl, Python and TypeScript samples on every operation', () => {
    const bad = operations
      .filter(({ operation }) => (operation['x-codeSamples'] ?? []).map((sample: { lang: string }) => sample.lang).join() !== 'Shell,Python,TypeScript')
      .map(({ operationId }) => operationId);
    expect(bad).toEqual([]);
  });

  it('offers every non-file body as JSON and XML, each with a named example', () => {
    const problems: string[] = [];
    for (const { where, content } of bodiesOf()) {
      const types = Object.keys(content);
      if (types.some((type) => FILE_MEDIA_TYPES.includes(type))) {
        // A file has no JSON or XML form, but still an example.
        for (const type of types) if (Object.keys(content[type].examples ?? {}).length === 0) problems.push(`${where}: ${type} has no named example`);
        continue;
      }
      for (const type of ['application/json', 'application/xml']) {
        if (!content[type]) problems.push(`${where}: no ${type}`);
        else if (Object.keys(content[type].examples ?? {}).length === 0) problems.push(`${where}: ${type} has no named example`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('has XML examples that are XML, read back to their JSON example, and are valid against the schema', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const { where, content } of bodiesOf()) {
      const xml = content['application/xml'];
      if (!xml) continue;
      const validate = spec.ajvFor(xml.schema);
      for (const [name, example] of Object.entries<any>(xml.examples ?? {})) {
        const jsonExample = deref(spec, content['application/json'].examples[name])!.value;
        if (typeof example.value !== 'string' || !example.value.startsWith('<?xml')) {
          problems.push(`${where} ${name}: XML example is not an XML document`);
          continue;
        }
        const parsed = fromXml(example.value, xml.schema, context);
        if (!validate(parsed)) problems.push(`${where} ${name}: ${JSON.stringify(validate.errors)}`);
        try {
          expect(parsed).toEqual(jsonExample);
        } catch {
          problems.push(`${where} ${name}: XML reads back differently from the JSON example`);
        }
        checked++;
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});
