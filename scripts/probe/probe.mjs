#!/usr/bin/env node
// `npm run probe`: asks a real tenant, with OPTIONS only, what each path of the spec allows, which
// request media types it parses and which input fields it takes (Django REST Framework's metadata),
// and compares that with the spec. OPTIONS writes nothing. See `npm run probe -- --help`.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { retryAfterMs } from '../../src/errors.ts';
import { localLimiter, sharedLocalLimiter } from '../../src/limits.ts';
import { deref } from '../lib/spec.ts';
import { fieldDifferences, jsonTypeOfDrf, loadOurSpec, operationsOf, redact, runCli, table, UsageError, writeRecord } from './shared.mjs';

export const DEFAULT_REQUESTS_PER_SECOND = 4;

const HELP = `npm run probe -- [--ids name=value,...] [--json] [--record FILE] [--spec FILE]

Sends only OPTIONS requests (never another method, nothing is written) to every path of the spec,
at most 4 a second, and compares the tenant's answer (Allow, and Django REST Framework's metadata:
"parses" and "actions") with the spec. Verdict per operation:
  confirmed  the method is allowed and media types and input fields match
  differs    allowed, but media types or fields differ (listed below it)
  refuted    the tenant does not allow the method on that path
  unknown    no answer to judge by (404: the path or the id in it may not exist; 405; no Allow;
             no metadata for an operation with a body)

Tenant, as for npm run test:live:
  CLOUDSOAR_BASE_URL  the base up to /v3, e.g. https://api.us2.sumologic.com/api/csoar/v3
  CLOUDSOAR_TOKEN     (Bearer), or CLOUDSOAR_ACCESS_ID and CLOUDSOAR_ACCESS_KEY (Basic)

Options:
  --ids name=value,...  values for path ids (e.g. id=8508,user_id=12); else the spec's examples
  --json                print {"summary": {...}, "operations": [...]} instead of the table
  --record FILE         write an anonymised observation record (no host, ids, token or names)
                        to FILE; commit it under spec/evidence/ to raise the grades it confirms
  --spec FILE           the description to compare (default: generated/openapi.yaml)
  --help                this text

Exit codes: 0 all confirmed or unknown, 1 something differs or is refuted, 2 bad input or refusal.`;

/**
 * The client's own limiter (src/limits.ts), at 80 % of the limit: OPTIONS answers are small, so
 * arrivals bunch up as much as sends spread out, and a tenant counting per second would see 5.
 * With no injected clock it is the one this process's clients on the same credential use.
 */
function probeLimiter(authorization, requestsPerSecond, clock) {
  const settings = { requestsPerSecond: requestsPerSecond * 0.8, burst: 1, maxConcurrent: 1 };
  return clock ? localLimiter(settings, clock) : sharedLocalLimiter(authorization, settings);
}

/** The longest pause a 429 may ask of the probe before it gives up on that path. */
const MAX_PAUSE_MS = 10_000;

function parameterExample(document, parameter) {
  const resolved = deref(document, parameter);
  return [resolved.name, resolved.example ?? resolved.schema?.examples?.[0] ?? deref(document, resolved.schema)?.examples?.[0]];
}

/** The concrete path to ask for a template, ids from `ids` or the spec's examples. */
function concretePath(document, template, operations, ids) {
  const examples = new Map();
  for (const { item, operation } of operations) {
    for (const parameter of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
      const [name, value] = parameterExample(document, parameter);
      if (value !== undefined && !examples.has(name)) examples.set(name, value);
    }
  }
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    const value = ids[name] ?? examples.get(name);
    if (value === undefined) throw new UsageError(`no value for {${name}} in ${template}: pass --ids ${name}=...`);
    return encodeURIComponent(String(value));
  });
}

/** What DRF's `actions` says of a method's input fields, as {name → {types, required}}. */
function theirFields(action) {
  const fields = new Map();
  for (const [name, field] of Object.entries(action ?? {})) {
    if (field?.read_only) continue;
    const type = jsonTypeOfDrf(field?.type);
    fields.set(name, { types: type ? new Set([type]) : null, required: Boolean(field?.required) });
  }
  return fields;
}

/** The anonymised part of what was seen: method allowed, media types, field shapes (no labels, no choices). */
function seenOf(allowed, parses, action) {
  const seen = { allowed };
  if (parses) seen.parses = parses;
  if (action) seen.fields = Object.fromEntries(Object.entries(action).filter(([, field]) => !field?.read_only).map(([name, field]) => [name, { type: String(field?.type ?? ''), required: Boolean(field?.required) }]));
  return seen;
}

/** Judges one operation from the OPTIONS answer of its path. */
function judge(operation, answer) {
  const base = { operationId: operation.operationId, method: operation.method, path: operation.path };
  if (answer.status === 404) return { ...base, verdict: 'unknown', differences: ['OPTIONS answered 404: the path, or the id in it, may not exist on this tenant (try --ids)'] };
  if (answer.status === 405) return { ...base, verdict: 'unknown', differences: ['OPTIONS answered 405: the tenant does not answer OPTIONS on this path'] };
  if (answer.status === 429) return { ...base, verdict: 'unknown', differences: ['OPTIONS answered 429 twice: rate limited'] };
  if (answer.status >= 300 && answer.status < 400) return { ...base, verdict: 'unknown', differences: [`OPTIONS answered ${answer.status}, a redirect: this spelling of the path (trailing slash or not) is not served as such`] };
  if (answer.status < 200 || answer.status >= 300) return { ...base, verdict: 'unknown', differences: [`OPTIONS answered ${answer.status}`] };
  if (!answer.allow) return { ...base, verdict: 'unknown', differences: ['no Allow header in the answer'] };
  const allowed = answer.allow.includes(operation.method);
  if (!allowed) return { ...base, verdict: 'refuted', differences: [`${operation.method} is not allowed (Allow: ${answer.allow.join(', ')})`], seen: seenOf(false) };
  const differences = [];
  const metadata = answer.metadata;
  if (!metadata) differences.push('no DRF metadata in the answer: media types and fields not compared');
  const action = metadata?.actions?.[operation.method];
  if (metadata && operation.hasBody && Array.isArray(metadata.parses)) {
    for (const type of metadata.parses) if (!operation.mediaTypes.includes(type)) differences.push(`parses ${type}: theirs, not ours`);
    for (const type of operation.mediaTypes) if (!metadata.parses.includes(type)) differences.push(`parses ${type}: ours, not theirs`);
  }
  if (action && operation.hasBody) differences.push(...fieldDifferences(operation.fields, theirFields(action)));
  const compared = differences.filter((difference) => !difference.startsWith('no DRF metadata'));
  // Without metadata a body's fields were not seen: the method exists, the rest is not confirmed.
  const verdict = compared.length > 0 ? 'differs' : !metadata && operation.hasBody ? 'unknown' : 'confirmed';
  return { ...base, verdict, differences, seen: seenOf(true, operation.hasBody ? metadata?.parses : undefined, operation.hasBody ? action : undefined) };
}

/**
 * Probes every path template of `document`. `requestsPerSecond` exists for tests (the default is
 * the documented 4/s); `fetch` is the global one and `clock` the limiter's real one unless a test
 * passes others.
 */
export async function probe({ document, baseUrl, authorization, ids = {}, requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND, fetch = globalThis.fetch, clock }) {
  const byPath = new Map();
  for (const operation of operationsOf(document)) {
    if (operation.item.servers) continue; // served from another base (the legacy v2 KPI call)
    (byPath.get(operation.path) ?? byPath.set(operation.path, []).get(operation.path)).push(operation);
  }
  const limiter = probeLimiter(authorization, requestsPerSecond, clock);
  const report = { operations: [], undocumented: [] };
  let requests = 0;
  for (const [template, operations] of byPath) {
    const url = `${baseUrl}${concretePath(document, template, operations, ids)}`;
    let response;
    let lane;
    for (let attempt = 0; attempt < 2; attempt++) {
      lane = await limiter.acquire();
      requests++;
      // Never follow a redirect: Django's APPEND_SLASH answers 301 for a spelling it does not serve.
      response = await fetch(url, { method: 'OPTIONS', redirect: 'manual', headers: { Authorization: authorization, Accept: 'application/json' } }).catch((error) => {
        lane.release();
        throw error;
      });
      if (response.status !== 429 || attempt === 1) break;
      // Retry-After as the client reads it (seconds or an HTTP date); the pause is the limiter's.
      limiter.coolDown(Math.min(retryAfterMs(response.headers.get('retry-after')) ?? 1000, MAX_PAUSE_MS));
      await response.body?.cancel();
      lane.release();
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      lane.release();
      throw new RefusalError(response.status);
    }
    const allow = response.headers.get('allow')?.split(',').map((method) => method.trim().toUpperCase()).filter(Boolean);
    let metadata;
    const text = await response.text().finally(() => lane.release());
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && ('parses' in parsed || 'actions' in parsed)) metadata = parsed;
    } catch {
      metadata = undefined;
    }
    const answer = { status: response.status, allow, metadata };
    for (const operation of operations) report.operations.push(judge(operation, answer));
    for (const method of allow ?? []) {
      if (!['OPTIONS', 'HEAD'].includes(method) && !operations.some((operation) => operation.method === method)) report.undocumented.push(`${method} ${template}`);
    }
  }
  const count = (verdict) => report.operations.filter((entry) => entry.verdict === verdict).length;
  return {
    summary: { operations: report.operations.length, confirmed: count('confirmed'), differs: count('differs'), refuted: count('refuted'), unknown: count('unknown'), requests, undocumentedMethods: report.undocumented },
    operations: report.operations,
  };
}

export class RefusalError extends Error {
  constructor(status) {
    super(
      status === 401
        ? 'the tenant answered OPTIONS with 401: the credentials were not accepted (check CLOUDSOAR_TOKEN, or CLOUDSOAR_ACCESS_ID and CLOUDSOAR_ACCESS_KEY, and CLOUDSOAR_BASE_URL)'
        : 'the tenant answered OPTIONS with 403: the credentials are valid but not allowed to use the API (the role needs the API capability)',
    );
    this.status = status;
  }
}

function parseIds(text) {
  const ids = {};
  for (const pair of (text ?? '').split(',').filter(Boolean)) {
    const match = /^(\w+)=([^=]+)$/.exec(pair.trim());
    if (!match) throw new UsageError(`--ids: expected name=value pairs separated by commas, got ${JSON.stringify(pair)}`);
    ids[match[1]] = match[2];
  }
  return ids;
}

async function main(argv) {
  let options;
  try {
    ({ values: options } = parseArgs({ args: argv, options: { ids: { type: 'string' }, json: { type: 'boolean' }, record: { type: 'string' }, spec: { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (error) {
    throw new UsageError(`${error.message}. See npm run probe -- --help`);
  }
  if (options.help) {
    console.log(HELP);
    return 0;
  }
  const { tenantFromEnv } = await import('../../tests/support/tenant.ts');
  let tenant;
  try {
    tenant = tenantFromEnv();
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (!tenant) throw new UsageError('probe needs CLOUDSOAR_BASE_URL and CLOUDSOAR_TOKEN (or CLOUDSOAR_ACCESS_ID and CLOUDSOAR_ACCESS_KEY). See npm run probe -- --help');
  const secrets = [tenant.authorization, tenant.authorization.split(' ')[1], new URL(tenant.baseUrl).host, new URL(tenant.baseUrl).hostname, process.env.CLOUDSOAR_TOKEN, process.env.CLOUDSOAR_ACCESS_ID, process.env.CLOUDSOAR_ACCESS_KEY];
  const ids = parseIds(options.ids);
  let report;
  try {
    report = await probe({ document: await loadOurSpec(options.spec), baseUrl: tenant.baseUrl, authorization: tenant.authorization, ids });
  } catch (error) {
    if (error instanceof RefusalError || error instanceof UsageError) throw new UsageError(redact(error.message, secrets));
    // A network failure names the host; say what failed without it.
    throw new UsageError(`probe: the tenant could not be reached (${redact(error.cause?.code ?? error.cause?.errors?.[0]?.code ?? error.message, secrets)})`);
  }
  // Id values never leave: the report names path templates only.
  console.log(redact(options.json ? JSON.stringify(report, null, 2) : table(report), secrets));
  if (options.record) await writeRecord(options.record, 'probe', report.operations);
  return report.summary.differs + report.summary.refuted > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runCli(main);
