#!/usr/bin/env node
// `npm run verify:proxy`: Prism in proxy mode in front of a tenant, fed the spec's example requests
// (read-only unless CLOUDSOAR_ALLOW_WRITES=1), reporting every spec violation seen in real traffic:
// Prism's own (the `sl-violations` header) and this project's conformance check.
//   CLOUDSOAR_BASE_URL=https://api.us2.sumologic.com/api/csoar/v3 CLOUDSOAR_ACCESS_ID=… CLOUDSOAR_ACCESS_KEY=… npm run verify:proxy
import { startPrism, BUNDLED_SPEC } from './lib/prism.mjs';
import { loadBundledSpec } from '../tests/support/spec.ts';
import { exampleRequests } from '../tests/support/requests.ts';
import { conformanceProblems } from '../tests/support/conformance.ts';
import { isReadOnly, onOtherServer } from '../tests/support/checks.ts';

const env = process.env;
const upstream = env.CLOUDSOAR_BASE_URL?.replace(/\/+$/, '');
let authorization;
if (env.CLOUDSOAR_TOKEN) authorization = `Bearer ${env.CLOUDSOAR_TOKEN}`;
else if (env.CLOUDSOAR_ACCESS_ID && env.CLOUDSOAR_ACCESS_KEY) authorization = `Basic ${Buffer.from(`${env.CLOUDSOAR_ACCESS_ID}:${env.CLOUDSOAR_ACCESS_KEY}`).toString('base64')}`;
if (!upstream || !authorization) {
  console.error('verify:proxy needs CLOUDSOAR_BASE_URL (the base up to /v3) and CLOUDSOAR_TOKEN, or CLOUDSOAR_ACCESS_ID and CLOUDSOAR_ACCESS_KEY.');
  process.exit(2);
}
const allowWrites = env.CLOUDSOAR_ALLOW_WRITES === '1';
const spec = loadBundledSpec();
const proxy = await startPrism({ spec: BUNDLED_SPEC, upstream });
const violations = [];
let requests = 0;
try {
  for (const operation of spec.operations.values()) {
    if ((!isReadOnly(operation) && !allowWrites) || onOtherServer(spec, operation)) continue;
    for (const request of exampleRequests(spec, operation)) {
      let path = request.path.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(String(request.params.path?.[name])));
      const query = new URLSearchParams(Object.entries(request.params.query ?? {}).map(([k, v]) => [k, String(v)])).toString();
      if (query) path += `?${query}`;
      const init = { method: request.method.toUpperCase(), headers: { Authorization: authorization, Accept: request.parseAs === 'text' ? 'application/octet-stream, application/json;q=0.9' : 'application/json' } };
      if (request.body !== undefined && request.mediaType === 'application/json') {
        init.body = JSON.stringify(request.body);
        init.headers['Content-Type'] = 'application/json';
      }
      const response = await fetch(`${proxy.url}${path}`, init);
      const text = await response.text();
      requests++;
      const contentType = response.headers.get('content-type');
      let body = text === '' ? undefined : text;
      if (text && /json/.test(contentType ?? '')) {
        try {
          body = JSON.parse(text);
        } catch {
          /* reported by the conformance check below */
        }
      }
      const seen = [];
      for (const violation of JSON.parse(response.headers.get('sl-violations') ?? '[]')) {
        seen.push(`prism: ${violation.location?.join('.') ?? ''} ${violation.message}`);
      }
      seen.push(...conformanceProblems(spec, { operationId: operation.operationId, status: response.status, contentType, body, headers: response.headers }));
      for (const problem of seen) violations.push(`${operation.operationId} ${init.method} ${path} → ${response.status}: ${problem}`);
    }
  }
} finally {
  await proxy.stop();
}
for (const violation of violations) console.log(violation);
console.log(`verify:proxy: ${requests} requests through Prism to ${upstream}${allowWrites ? '' : ' (read-only)'}, ${violations.length} violation${violations.length === 1 ? '' : 's'}`);
process.exit(violations.length === 0 ? 0 : 1);
