// Every operation of the bundled spec, with every named request example, called through the public
// client against the Prism mock; every answer must conform to the spec. Cases come from the spec,
// so a new operation is tested without touching this file. The last test is the coverage gate.
import { describe, expect, inject, it } from 'vitest';
import { createCloudSoarClient } from '../../src/index.js';
import { callThroughClient } from '../support/call.js';
import { conformanceProblems } from '../support/conformance.js';
import { exampleRequests } from '../support/requests.js';
import { loadBundledSpec } from '../support/spec.js';

const spec = loadBundledSpec();
const client = createCloudSoarClient({ baseUrl: inject('mockUrl'), token: 'contract-test-token', rateLimit: false });
const conforming = new Set<string>();

describe('operations called through the client conform to the spec', () => {
  for (const operation of spec.operations.values()) {
    for (const request of exampleRequests(spec, operation)) {
      it(`${request.operationId} (${request.label})`, async () => {
        const { response, observed } = await callThroughClient(client, request);
        expect(response.ok, `${response.status} ${response.headers.get('sl-violations') ?? ''}`).toBe(true);
        expect(conformanceProblems(spec, observed)).toEqual([]);
        conforming.add(request.operationId);
      });
    }
  }

  it('coverage gate: every operationId in the bundled spec got a conforming answer', () => {
    const missing = [...spec.operations.keys()].filter((operationId) => !conforming.has(operationId));
    expect(spec.operations.size).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
