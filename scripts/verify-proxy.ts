// `npm run verify:proxy`: Prism in proxy mode in front of a tenant, fed the spec's example requests
// (read-only unless CLOUDSOAR_ALLOW_WRITES=1), reporting every spec violation seen in real traffic:
// Prism's own (the `sl-violations` header) and this project's conformance check.
//   CLOUDSOAR_BASE_URL=https://api.us2.sumologic.com/api/csoar/v3 CLOUDSOAR_ACCESS_ID=… CLOUDSOAR_ACCESS_KEY=… npm run verify:proxy [-- --record FILE]
// --record FILE writes the anonymised observation record of spec/evidence/ (see its README).
import { parseArgs } from 'node:util';
import { redact } from '../tools/kit/cli.js';
import { loadBundledSpec } from '../tools/kit/contract/bundled-spec.js';
import { isReadOnly, sendExample } from '../tools/kit/contract/checks.js';
import { conformanceProblems } from '../tools/kit/contract/conformance.js';
import { exampleRequests } from '../tools/kit/contract/requests.js';
import { type Observation, writeRecord } from '../tools/kit/evidence-records.js';
import { startPrism } from '../tools/kit/prism.js';
import { BUNDLED_SPEC } from '../tools/kit/repo.js';
import { type Tenant, tenantFromEnv } from '../tools/kit/tenant.js';

let recordFile: string | undefined;
try {
  recordFile = parseArgs({ options: { record: { type: 'string' } } }).values.record;
} catch (error) {
  console.error(`${(error as Error).message}. Usage: npm run verify:proxy [-- --record FILE]`);
  process.exit(2);
}

let tenant: Tenant | undefined;
try {
  tenant = tenantFromEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (!tenant) {
  console.error(
    'verify:proxy needs CLOUDSOAR_BASE_URL (the base up to /v3) and CLOUDSOAR_TOKEN, or CLOUDSOAR_ACCESS_ID and CLOUDSOAR_ACCESS_KEY.',
  );
  process.exit(2);
}
const spec = await loadBundledSpec();
const proxy = await startPrism({ spec: BUNDLED_SPEC, upstream: tenant.baseUrl });
const context = {
  spec,
  baseUrl: proxy.url,
  auth: { Authorization: tenant.authorization },
  allowWrites: tenant.allowWrites,
  live: true,
};
const violations: string[] = [];
const observations: Observation[] = [];
let requests = 0;
try {
  for (const operation of spec.operations.values()) {
    if (!isReadOnly(operation) && !tenant.allowWrites) continue;
    for (const request of exampleRequests(spec, operation)) {
      const { response, observed } = await sendExample(context, request, context.auth);
      requests++;
      const seen: string[] = JSON.parse(response.headers.get('sl-violations') ?? '[]').map(
        (violation: { location?: string[]; message: string }): string =>
          `prism: ${violation.location?.join('.') ?? ''} ${violation.message}`,
      );
      seen.push(...conformanceProblems(spec, observed));
      const where = `${operation.operationId} ${request.method.toUpperCase()} ${new URL(response.url).pathname}`;
      for (const problem of seen) violations.push(`${where} → ${response.status}: ${problem}`);
      const verdict = seen.length > 0 ? 'differs' : response.ok ? 'confirmed' : 'unknown';
      observations.push({
        operationId: operation.operationId,
        method: operation.method.toUpperCase(),
        path: operation.path,
        verdict,
        differences: seen.map((problem) => `${response.status}: ${problem}`.slice(0, 300)),
      });
    }
  }
} finally {
  await proxy.stop();
}
for (const violation of violations) console.log(violation);
if (recordFile) {
  // One observation per operation: the worst of its requests. Host and credentials never written.
  const rank: Record<string, number> = { differs: 2, unknown: 1, confirmed: 0 };
  const worst = new Map<string, Observation>();
  for (const observation of observations) {
    const known = worst.get(observation.operationId);
    if (!known || rank[observation.verdict]! > rank[known.verdict]!) worst.set(observation.operationId, observation);
  }
  const secrets = [tenant.authorization, tenant.authorization.split(' ')[1], new URL(tenant.baseUrl).host, proxy.url];
  const anonymised = [...worst.values()].map((observation) => ({
    ...observation,
    differences: observation.differences.map((difference) => redact(difference, secrets)),
  }));
  await writeRecord(recordFile, 'verify:proxy', anonymised);
}
console.log(
  `verify:proxy: ${requests} requests through Prism to ${tenant.baseUrl}${tenant.allowWrites ? '' : ' (read-only)'}, ${violations.length} violation${violations.length === 1 ? '' : 's'}`,
);
process.exit(violations.length === 0 ? 0 : 1);
