import { describe, expect, inject, it } from 'vitest';
import { createCloudSoarClient } from '../../src/index.js';
import { conformanceProblems } from '../support/conformance.js';
import { loadBundledSpec } from '../support/spec.js';
import { contractCalls, type OperationId } from './operations.js';

const spec = loadBundledSpec();
const client = createCloudSoarClient({ baseUrl: inject('mockUrl'), token: 'contract-test-token' });

describe('every operation, called through the client against the Prism mock, conforms to the spec', () => {
  for (const operationId of Object.keys(contractCalls) as OperationId[]) {
    it(operationId, async () => {
      const { response, data, error } = await contractCalls[operationId](client);
      expect(response.ok, `${operationId} answered ${response.status}: ${response.headers.get('sl-violations')}`).toBe(true);
      const problems = conformanceProblems(spec, {
        operationId,
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: response.ok ? data : error,
      });
      expect(problems).toEqual([]);
    });
  }
});
