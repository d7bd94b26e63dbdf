// The contract matrix: every operation of the bundled spec × every check in tools/kit/contract/checks.ts,
// against the Prism mock. Cases come from the spec, so the matrix grows with it. The last test is
// the coverage gate, and the matrix is summarised for `npm test`'s closing line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';
import { CHECKS, type CheckContext } from '../../tools/kit/contract/checks.js';

const spec = await loadBundledSpec();
const context: CheckContext = {
  spec,
  baseUrl: inject('mockUrl'),
  auth: { Authorization: 'Bearer contract-test-token' },
  allowWrites: true,
};
const outcomes = new Map<string, { applicable: boolean; passed: boolean; requests: number }>();

for (const operation of spec.operations.values()) {
  describe(operation.operationId, () => {
    for (const [name, check] of Object.entries(CHECKS)) {
      it(name, async () => {
        const result = await check(context, operation);
        outcomes.set(`${operation.operationId}\u0000${name}`, {
          applicable: result.applicable,
          passed: result.problems.length === 0,
          requests: result.requests,
        });
        expect(result.problems).toEqual([]);
      });
    }
  });
}

describe('coverage gate', () => {
  it('every operation got a conforming answer and every check ran on it', () => {
    const operationIds = [...spec.operations.keys()];
    const missing = operationIds.flatMap((operationId) =>
      Object.keys(CHECKS)
        .filter((name) => !outcomes.has(`${operationId}\u0000${name}`))
        .map((name) => `${operationId}: ${name}`),
    );
    const unanswered = operationIds.filter(
      (operationId) => !outcomes.get(`${operationId}\u0000success conforms`)?.passed,
    );
    expect(operationIds.length).toBeGreaterThan(0);
    expect({ missing, unanswered }).toEqual({ missing: [], unanswered: [] });
  });
});

afterAll(() => {
  const values = [...outcomes.values()];
  const summary = {
    operations: spec.operations.size,
    checks: Object.keys(CHECKS).length,
    cells: values.length,
    notApplicable: values.filter((outcome) => !outcome.applicable).length,
    gaps: spec.operations.size * Object.keys(CHECKS).length - values.filter((outcome) => outcome.passed).length,
    requests: values.reduce((total, outcome) => total + outcome.requests, 0),
  };
  const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
  mkdirSync(dist, { recursive: true });
  writeFileSync(`${dist}contract-summary.json`, `${JSON.stringify(summary, null, 2)}\n`);
});
