// The read-only part of the contract suite against a real tenant:
//   CLOUDSOAR_BASE_URL=https://api.us2.sumologic.com/api/csoar/v3 CLOUDSOAR_ACCESS_ID=… CLOUDSOAR_ACCESS_KEY=… npm run test:live
// (or CLOUDSOAR_TOKEN=… for a legacy instance). Writes run only with CLOUDSOAR_ALLOW_WRITES=1.
// Inside `npm test` no tenant is configured, so the same code runs against the Prism mock.
import { describe, expect, inject, it } from 'vitest';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';
import { CHECKS, type CheckContext, isReadOnly, LIVE_CHECKS } from '../../tools/kit/contract/checks.js';
import { tenantFromEnv } from '../../tools/kit/tenant.js';

async function liveContext(): Promise<CheckContext & { target: string }> {
  const tenant = tenantFromEnv();
  const mockUrl = inject('mockUrl');
  if (!tenant && !mockUrl)
    throw new Error(
      'Set CLOUDSOAR_BASE_URL and CLOUDSOAR_TOKEN (or CLOUDSOAR_ACCESS_ID and CLOUDSOAR_ACCESS_KEY) to run the live suite.',
    );
  return {
    spec: await loadBundledSpec(),
    baseUrl: tenant?.baseUrl ?? mockUrl,
    auth: { Authorization: tenant?.authorization ?? 'Bearer mock-token' },
    allowWrites: tenant?.allowWrites ?? false,
    live: true,
    target: tenant ? 'tenant' : 'mock',
  };
}

const context = await liveContext();
const checks = LIVE_CHECKS.map((name) => [name, CHECKS[name]] as const);

describe(`live contract (${context.target}${context.allowWrites ? ', writes allowed' : ', read-only'})`, () => {
  for (const operation of context.spec.operations.values()) {
    const runs = isReadOnly(operation) || context.allowWrites;
    describe(operation.operationId, () => {
      for (const [name, check] of checks) {
        it(`${name}${runs ? '' : ' — not sent (a write)'}`, async () => {
          if (!runs) {
            expect(isReadOnly(operation)).toBe(false);
            return;
          }
          const result = await check(context, operation);
          expect(result.problems).toEqual([]);
        });
      }
    });
  }

  it('sends no write unless CLOUDSOAR_ALLOW_WRITES=1', () => {
    const sent = [...context.spec.operations.values()].filter(
      (operation) => isReadOnly(operation) || context.allowWrites,
    );
    if (!context.allowWrites) expect(sent.every(isReadOnly)).toBe(true);
    expect(sent.length).toBeGreaterThan(10);
  });
});
