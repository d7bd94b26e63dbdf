import { expect, it } from 'vitest';
import { loadBundledSpec } from '../support/spec.js';
import { contractCalls } from './operations.js';

it('every operationId in the bundled spec has a contract call, and no call is for a missing operation', () => {
  const specIds = [...loadBundledSpec().operations.keys()].sort();
  const covered = Object.keys(contractCalls).sort();
  expect(specIds.length).toBeGreaterThan(0);
  expect({ uncovered: specIds.filter((id) => !covered.includes(id)), unknown: covered.filter((id) => !specIds.includes(id)) }).toEqual({
    uncovered: [],
    unknown: [],
  });
});
