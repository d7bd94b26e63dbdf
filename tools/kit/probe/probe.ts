// What `npm run probe` does: asks a real tenant, with OPTIONS only, what each path of the spec
// allows, which request media types it parses and which input fields it takes (Django REST
// Framework's metadata), and compares that with the spec. OPTIONS writes nothing.
import { retryAfterMs } from '../../../src/errors.js';
import { type LimiterClock, localLimiter, sharedLocalLimiter } from '../../../src/limits.js';
import { UsageError } from '../cli.js';
import { type Json, OpenApiDocument } from '../spec.js';
import { type ComparedOperation, fieldDifferences, jsonTypeOfDrf, operationsOf, type TheirField } from './drf.js';

export const DEFAULT_REQUESTS_PER_SECOND = 4;

export type Verdict = 'confirmed' | 'differs' | 'refuted' | 'unknown';
export interface ProbeEntry {
  operationId: string | null;
  method: string;
  path: string;
  verdict: Verdict;
  differences: string[];
  seen?: object;
}
export interface ProbeReport {
  summary: {
    operations: number;
    confirmed: number;
    differs: number;
    refuted: number;
    unknown: number;
    requests: number;
    undocumentedMethods: string[];
  };
  operations: ProbeEntry[];
}
interface Answer {
  status: number;
  allow: string[] | undefined;
  metadata: Json | undefined;
}

/**
 * The client's own limiter (src/limits.ts), at 80 % of the limit: OPTIONS answers are small, so
 * arrivals bunch up as much as sends spread out, and a tenant counting per second would see 5.
 * With no injected clock it is the one this process's clients on the same credential use.
 */
function probeLimiter(authorization: string, requestsPerSecond: number, clock: LimiterClock | undefined) {
  const settings = { requestsPerSecond: requestsPerSecond * 0.8, burst: 1, maxConcurrent: 1 };
  return clock ? localLimiter(settings, clock) : sharedLocalLimiter(authorization, settings);
}

/** The longest pause a 429 may ask of the probe before it gives up on that path. */
const MAX_PAUSE_MS = 10_000;

function parameterExample(spec: OpenApiDocument, parameter: Json): [string, unknown] {
  const resolved = spec.deref(parameter);
  return [
    resolved.name,
    resolved.example ?? resolved.schema?.examples?.[0] ?? spec.deref(resolved.schema)?.examples?.[0],
  ];
}

/** The concrete path to ask for a template, ids from `ids` or the spec's examples. */
function concretePath(
  spec: OpenApiDocument,
  template: string,
  operations: ComparedOperation[],
  ids: Record<string, string>,
): string {
  const examples = new Map<string, unknown>();
  for (const { item, operation } of operations) {
    for (const parameter of spec.parameters(item, operation)) {
      const [name, value] = parameterExample(spec, parameter);
      if (value !== undefined && !examples.has(name)) examples.set(name, value);
    }
  }
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = ids[name] ?? examples.get(name);
    if (value === undefined) throw new UsageError(`no value for {${name}} in ${template}: pass --ids ${name}=...`);
    return encodeURIComponent(String(value));
  });
}

/** What DRF's `actions` says of a method's input fields, as {name → {types, required}}. */
function theirFields(action: Json | undefined): Map<string, TheirField> {
  const fields = new Map<string, TheirField>();
  for (const [name, field] of Object.entries<Json>(action ?? {})) {
    if (field?.read_only) continue;
    const type = jsonTypeOfDrf(field?.type);
    fields.set(name, { types: type ? new Set([type]) : null, required: Boolean(field?.required) });
  }
  return fields;
}

/** The anonymised part of what was seen: method allowed, media types, field shapes (no labels, no choices). */
function seenOf(allowed: boolean, parses?: string[], action?: Json): object {
  const seen: Json = { allowed };
  if (parses) seen.parses = parses;
  if (action)
    seen.fields = Object.fromEntries(
      Object.entries<Json>(action)
        .filter(([, field]) => !field?.read_only)
        .map(([name, field]) => [name, { type: String(field?.type ?? ''), required: Boolean(field?.required) }]),
    );
  return seen;
}

/** Judges one operation from the OPTIONS answer of its path. */
function judge(operation: ComparedOperation, answer: Answer): ProbeEntry {
  const base = { operationId: operation.operationId, method: operation.method, path: operation.path };
  if (answer.status === 404)
    return {
      ...base,
      verdict: 'unknown',
      differences: ['OPTIONS answered 404: the path, or the id in it, may not exist on this tenant (try --ids)'],
    };
  if (answer.status === 405)
    return {
      ...base,
      verdict: 'unknown',
      differences: ['OPTIONS answered 405: the tenant does not answer OPTIONS on this path'],
    };
  if (answer.status === 429)
    return { ...base, verdict: 'unknown', differences: ['OPTIONS answered 429 twice: rate limited'] };
  if (answer.status >= 300 && answer.status < 400)
    return {
      ...base,
      verdict: 'unknown',
      differences: [
        `OPTIONS answered ${answer.status}, a redirect: this spelling of the path (trailing slash or not) is not served as such`,
      ],
    };
  if (answer.status < 200 || answer.status >= 300)
    return { ...base, verdict: 'unknown', differences: [`OPTIONS answered ${answer.status}`] };
  if (!answer.allow) return { ...base, verdict: 'unknown', differences: ['no Allow header in the answer'] };
  const allowed = answer.allow.includes(operation.method);
  if (!allowed)
    return {
      ...base,
      verdict: 'refuted',
      differences: [`${operation.method} is not allowed (Allow: ${answer.allow.join(', ')})`],
      seen: seenOf(false),
    };
  const differences: string[] = [];
  const metadata = answer.metadata;
  if (!metadata) differences.push('no DRF metadata in the answer: media types and fields not compared');
  const action = metadata?.actions?.[operation.method];
  if (metadata && operation.hasBody && Array.isArray(metadata.parses)) {
    for (const type of metadata.parses)
      if (!operation.mediaTypes.includes(type)) differences.push(`parses ${type}: theirs, not ours`);
    for (const type of operation.mediaTypes)
      if (!metadata.parses.includes(type)) differences.push(`parses ${type}: ours, not theirs`);
  }
  if (action && operation.hasBody) differences.push(...fieldDifferences(operation.fields, theirFields(action)));
  const compared = differences.filter((difference) => !difference.startsWith('no DRF metadata'));
  // Without metadata a body's fields were not seen: the method exists, the rest is not confirmed.
  const verdict = compared.length > 0 ? 'differs' : !metadata && operation.hasBody ? 'unknown' : 'confirmed';
  return {
    ...base,
    verdict,
    differences,
    seen: seenOf(true, operation.hasBody ? metadata?.parses : undefined, operation.hasBody ? action : undefined),
  };
}

/**
 * Probes every path template of `document`. `requestsPerSecond` exists for tests (the default is
 * the documented 4/s); `fetch` is the global one unless a test passes another.
 */
export async function probe({
  document,
  baseUrl,
  authorization,
  ids = {},
  requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND,
  fetch = globalThis.fetch,
  clock,
}: {
  document: Json;
  baseUrl: string;
  authorization: string;
  ids?: Record<string, string>;
  requestsPerSecond?: number;
  fetch?: typeof globalThis.fetch;
  /** The limiter's clock; its real one unless a test passes another. */
  clock?: LimiterClock;
}): Promise<ProbeReport> {
  const spec = await OpenApiDocument.open(document);
  const byPath = new Map<string, ComparedOperation[]>();
  for (const operation of operationsOf(spec)) {
    if (operation.item.servers) continue; // served from another base (the legacy v2 KPI call)
    (byPath.get(operation.path) ?? byPath.set(operation.path, []).get(operation.path)!).push(operation);
  }
  const limiter = probeLimiter(authorization, requestsPerSecond, clock);
  const report = { operations: [] as ProbeEntry[], undocumented: [] as string[] };
  let requests = 0;
  for (const [template, operations] of byPath) {
    const url = `${baseUrl}${concretePath(spec, template, operations, ids)}`;
    let response!: Response;
    let lane!: Awaited<ReturnType<typeof limiter.acquire>>;
    for (let attempt = 0; attempt < 2; attempt++) {
      lane = await limiter.acquire();
      requests++;
      // Never follow a redirect: Django's APPEND_SLASH answers 301 for a spelling it does not serve.
      response = await fetch(url, {
        method: 'OPTIONS',
        redirect: 'manual',
        headers: { Authorization: authorization, Accept: 'application/json' },
      }).catch((error) => {
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
    const allow = response.headers
      .get('allow')
      ?.split(',')
      .map((method) => method.trim().toUpperCase())
      .filter(Boolean);
    let metadata: Json | undefined;
    const text = await response.text().finally(() => lane.release());
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && ('parses' in parsed || 'actions' in parsed)) metadata = parsed;
    } catch {
      metadata = undefined;
    }
    const answer: Answer = { status: response.status, allow, metadata };
    for (const operation of operations) report.operations.push(judge(operation, answer));
    for (const method of allow ?? []) {
      if (!['OPTIONS', 'HEAD'].includes(method) && !operations.some((operation) => operation.method === method))
        report.undocumented.push(`${method} ${template}`);
    }
  }
  const count = (verdict: Verdict) => report.operations.filter((entry) => entry.verdict === verdict).length;
  return {
    summary: {
      operations: report.operations.length,
      confirmed: count('confirmed'),
      differs: count('differs'),
      refuted: count('refuted'),
      unknown: count('unknown'),
      requests,
      undocumentedMethods: report.undocumented,
    },
    operations: report.operations,
  };
}

export class RefusalError extends Error {
  readonly status: number;
  constructor(status: number) {
    super(
      status === 401
        ? 'the tenant answered OPTIONS with 401: the credentials were not accepted (check CLOUDSOAR_TOKEN, or CLOUDSOAR_ACCESS_ID and CLOUDSOAR_ACCESS_KEY, and CLOUDSOAR_BASE_URL)'
        : 'the tenant answered OPTIONS with 403: the credentials are valid but not allowed to use the API (the role needs the API capability)',
    );
    this.status = status;
  }
}
