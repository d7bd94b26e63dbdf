// Rules of the bundled description that lint of spec/ cannot see, because the build adds what they
// check: evidence badges, XML examples that read back to the JSON ones, three code samples. The
// rules on spec/ itself (evidence, 404s, JSON and XML bodies with examples) are in `npm run lint`.
import { describe, expect, it } from 'vitest';
import { fromXml } from '../../src/xml/codec.js';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';

const spec = await loadBundledSpec();
const context = spec.openapi.xmlCodecContext();
const operations = [...spec.operations.values()];

interface Body {
  where: string;
  content: Record<string, any>;
}

function bodiesOf(): Body[] {
  const bodies: Body[] = [];
  for (const operation of operations) {
    const request = spec.openapi.deref(operation.operation.requestBody);
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

  it('shows the grade on every operation (badge and description)', () => {
    const bad = operations
      .filter(
        ({ operation }) =>
          !operation['x-badges']?.[0]?.name?.startsWith(`${operation['x-evidence'].grade} · `) ||
          !operation.description.startsWith(`**Evidence ${operation['x-evidence'].grade}`),
      )
      .map(({ operationId }) => operationId);
    expect(bad).toEqual([]);
  });

  it('has curl, Python and TypeScript samples on every operation', () => {
    const bad = operations
      .filter(
        ({ operation }) =>
          (operation['x-codeSamples'] ?? []).map((sample: { lang: string }) => sample.lang).join() !==
          'Shell,Python,TypeScript',
      )
      .map(({ operationId }) => operationId);
    expect(bad).toEqual([]);
  });

  it('has XML examples that are XML, read back to their JSON example, and are valid against the schema', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const { where, content } of bodiesOf()) {
      const xml = content['application/xml'];
      if (!xml) continue;
      const validate = spec.ajvFor(xml.schema);
      for (const [name, example] of Object.entries<any>(xml.examples ?? {})) {
        const jsonExample = spec.openapi.deref(content['application/json'].examples[name]).value;
        if (typeof example.value !== 'string' || !example.value.startsWith('<?xml')) {
          problems.push(`${where} ${name}: XML example is not an XML document`);
          continue;
        }
        const parsed = fromXml(example.value, spec.openapi.xmlCodecSchema(xml.schema), context);
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
