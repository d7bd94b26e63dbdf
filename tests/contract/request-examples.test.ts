// Every named JSON request example in the spec — the bodies real clients were seen sending — is
// accepted by the mock, which validates requests against the same schemas a server would be held to.
import { describe, expect, inject, it } from 'vitest';
import { loadBundledSpec } from '../support/spec.js';

const spec = loadBundledSpec();
const mockUrl = inject('mockUrl');

const cases = [...spec.operations.values()].flatMap(({ operationId, method, path, operation }) => {
  const examples: Record<string, { $ref?: string; value?: unknown }> = operation.requestBody?.content?.['application/json']?.examples ?? {};
  return Object.entries(examples).map(([name, example]) => {
    const resolved = example.$ref ? spec.document.components.examples[example.$ref.split('/').pop()!] : example;
    // Path parameters take their documented example.
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const parameter = [...(operation.parameters ?? []), ...(spec.document.paths[path].parameters ?? [])]
        .map((p: { $ref?: string }) => (p.$ref ? spec.document.components.parameters[p.$ref.split('/').pop()!] : p))
        .find((p: { name: string }) => p.name === name);
      return String(parameter.example);
    });
    return { label: `${operationId} accepts example ${name}`, method, url, body: resolved.value };
  });
});

describe('request examples are accepted by the mock', () => {
  it('there are request examples to check', () => expect(cases.length).toBeGreaterThan(0));
  for (const { label, method, url, body } of cases) {
    it(label, async () => {
      const response = await fetch(`${mockUrl}${url}`, {
        method: method.toUpperCase(),
        headers: { Authorization: 'Bearer example-token', 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
      });
      await response.body?.cancel();
      expect(response.status, response.headers.get('sl-violations') ?? '').toBeLessThan(300);
    });
  }
});
