import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { Credentials, type CloudSoarAuth } from './auth.js';
import { CloudSoarConfigError, CloudSoarNetworkError, CloudSoarResponseError, CloudSoarTimeoutError, type RequestDescription } from './errors.js';
import { describeOperation, responseRequests } from './results.js';
import { legacyBaseUrl, normaliseBaseUrl, saasBaseUrl, type SaasDeployment } from './servers.js';
import { createTransport, PreparedRequest, withCall, type CallContext, type RateLimitOptions, type RetryOptions } from './transport.js';

export type CloudSoarPaths = paths;
export type CloudSoarClient = Client<paths>;

interface ServerChoice {
  /** Base URL up to `/v3`, e.g. `https://soar.example.com/incmansuite_ng/api/v3`; for the mock, its root. */
  baseUrl?: string;
  /** SaaS deployment (`us1`, `us2`, `eu`, …): `https://api.<dep>.sumologic.com/api/csoar/v3`. */
  deployment?: SaasDeployment;
  /** Host of a legacy/hosted instance: `https://<host>/incmansuite_ng/api/v3`. */
  legacyHost?: string;
  /** Scheme for `legacyHost`; default https. */
  scheme?: 'https' | 'http';
}

export type CloudSoarClientOptions = ServerChoice &
  CloudSoarAuth & {
    /** A fetch implementation; defaults to the global one. */
    fetch?: typeof globalThis.fetch;
    /** Per attempt, until the whole answer is read; default 30 000 ms; `false` for none. */
    timeoutMs?: number | false;
    /** Retries of 429/502/503/504 and network errors on idempotent methods; `false` turns them off. */
    retry?: RetryOptions | false;
    /** Client-side rate limit; default 4 requests per second; `false` turns it off. */
    rateLimit?: RateLimitOptions | false;
    /** Send and receive XML instead of JSON, with the same types; default 'json'. */
    format?: 'json' | 'xml';
    /** Extra headers on every request (not for credentials). */
    headers?: Record<string, string>;
  };

const DEFAULT_TIMEOUT_MS = 30_000;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
const XML_TYPE = /^(?:application|text)\/(?:[\w.+-]+\+)?xml\b/i;

function chooseBaseUrl(options: ServerChoice): string {
  const given = [options.baseUrl !== undefined, options.deployment !== undefined, options.legacyHost !== undefined].filter(Boolean).length;
  if (given !== 1) throw new CloudSoarConfigError('baseUrl', 'give exactly one of baseUrl, deployment (SaaS) or legacyHost');
  if (options.deployment !== undefined) return saasBaseUrl(options.deployment);
  if (options.legacyHost !== undefined) return legacyBaseUrl(options.legacyHost, options.scheme ? { scheme: options.scheme } : {});
  return normaliseBaseUrl(options.baseUrl);
}

function positiveInteger(value: unknown, option: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)) {
    throw new CloudSoarConfigError(option, `must be a positive number, got ${JSON.stringify(value)}`);
  }
}

type XmlModule = typeof import('./xml/middleware.js');
let xmlModule: Promise<XmlModule> | undefined;
const loadXml = () => (xmlModule ??= import('./xml/middleware.js'));

/** Creates a client typed by the generated description of the Cloud SOAR v3 API. */
export function createCloudSoarClient(options: CloudSoarClientOptions): CloudSoarClient {
  if (typeof options !== 'object' || options === null) throw new CloudSoarConfigError('options', 'must be an object with a server and credentials');
  const baseUrl = chooseBaseUrl(options);
  const credentials = new Credentials(options);
  if (options.timeoutMs !== false) positiveInteger(options.timeoutMs, 'timeoutMs');
  if (options.rateLimit) {
    positiveInteger(options.rateLimit.requestsPerSecond, 'rateLimit.requestsPerSecond');
    positiveInteger(options.rateLimit.burst, 'rateLimit.burst');
  }
  if (options.retry) {
    if (options.retry.retries !== undefined && (!Number.isInteger(options.retry.retries) || options.retry.retries < 0)) {
      throw new CloudSoarConfigError('retry.retries', 'must be a whole number, 0 or more');
    }
    positiveInteger(options.retry.baseDelayMs, 'retry.baseDelayMs');
    positiveInteger(options.retry.maxDelayMs, 'retry.maxDelayMs');
  }
  const format = options.format ?? 'json';
  if (format !== 'json' && format !== 'xml') throw new CloudSoarConfigError('format', 'must be "json" or "xml"');
  const baseFetch = options.fetch ?? globalThis.fetch;
  if (typeof baseFetch !== 'function') throw new CloudSoarConfigError('fetch', 'must be a function (no global fetch here)');

  const describe = (request: PreparedRequest): RequestDescription =>
    request.call ? describeOperation(request.method, request.call.schemaPath) : { method: request.method, path: new URL(request.url).pathname };
  const transport = createTransport({
    fetch: baseFetch,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: options.retry ?? {},
    rateLimit: options.rateLimit ?? {},
    describe,
  });

  /** XML mode: the JSON body openapi-fetch serialised goes out as XML, and XML is asked for. */
  async function prepare(request: PreparedRequest): Promise<PreparedRequest> {
    if (!request.call) return request;
    const headers = new Headers(request.headers);
    if (request.call.parseAs === 'json') headers.set('Accept', 'application/xml');
    if (request.body === null || !JSON_TYPE.test(headers.get('content-type') ?? '')) return request.with({ headers });
    const xml = (await loadXml()).requestToXml(`${request.method} ${request.call.schemaPath}`, JSON.parse(await request.text()));
    if (xml === undefined) return request.with({ headers });
    headers.set('Content-Type', 'application/xml');
    return request.with({ headers, body: xml });
  }

  /**
   * Checks the answer is what openapi-fetch will read it as; turns XML into JSON in XML mode.
   * The common case (JSON with a length) returns at once, without a promise.
   */
  function finish(response: Response, request: PreparedRequest): Response | Promise<Response> {
    const call = request.call;
    // errorOf() names the operation of failed answers only; successful ones need no record.
    if (call && !response.ok) responseRequests.set(response, { method: request.method, path: call.schemaPath });
    const length = response.headers.get('content-length');
    if (!call || call.parseAs !== 'json' || response.status === 204 || length === '0') return response;
    const contentType = response.headers.get('content-type') ?? '';
    // openapi-fetch calls response.json() when the length is known, which the transport guards.
    if (JSON_TYPE.test(contentType) && (length !== null || !response.ok)) return response;
    return finishSlowly(response, request, call, contentType);
  }

  async function finishSlowly(response: Response, request: PreparedRequest, call: CallContext, contentType: string): Promise<Response> {
    let replacement: Response;
    if (JSON_TYPE.test(contentType)) {
      // Without a length openapi-fetch parses text itself; check it here so bad JSON is still typed.
      const text = await response.text();
      if (text !== '') {
        try {
          JSON.parse(text);
        } catch (error) {
          throw new CloudSoarResponseError(describe(request), response.status, contentType, `invalid JSON (${(error as Error).message})`);
        }
      }
      replacement = new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    } else if (format === 'xml' && XML_TYPE.test(contentType)) {
      let value: unknown;
      try {
        value = (await loadXml()).responseFromXml(`${request.method} ${call.schemaPath}`, response.status, await response.text());
      } catch (error) {
        if (error instanceof CloudSoarNetworkError || error instanceof CloudSoarTimeoutError) throw error;
        throw new CloudSoarResponseError(describe(request), response.status, contentType, `unreadable XML: ${(error as Error).message}`);
      }
      const headers = new Headers(response.headers);
      headers.set('Content-Type', 'application/json');
      headers.delete('Content-Length');
      replacement = new Response(JSON.stringify(value), { status: response.status, statusText: response.statusText, headers });
    } else if (response.ok) {
      await response.body?.cancel();
      throw new CloudSoarResponseError(describe(request), response.status, contentType || null, `expected ${format === 'xml' ? 'XML or JSON' : 'JSON'}`);
    } else {
      return response; // an error body that is not JSON stays text
    }
    if (!replacement.ok) responseRequests.set(replacement, { method: request.method, path: call.schemaPath });
    return replacement;
  }

  const raw = createClient<paths>({
    baseUrl,
    // openapi-fetch builds this light object instead of a platform Request; the transport sends it.
    Request: PreparedRequest as unknown as typeof Request,
    fetch: (async (request: PreparedRequest) => finish(await transport(format === 'xml' ? await prepare(request) : request), request)) as unknown as typeof fetch,
    headers: { ...options.headers, Authorization: credentials.authorization() },
  });
  // Each method hands its spec path and parseAs to the request openapi-fetch builds (no middleware:
  // openapi-fetch's middleware machinery cost more per request than the rest of this client).
  type Init = { parseAs?: string } | undefined;
  const called = <T>(path: string, init: Init, start: () => T) => withCall({ schemaPath: path, parseAs: init?.parseAs ?? 'json' }, start);
  const client = { ...raw } as Record<string, unknown>;
  for (const name of ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const) {
    const method = raw[name] as (path: string, init: Init) => unknown;
    client[name] = (path: string, init: Init) => called(path, init, () => method(path, init));
  }
  const request = raw.request as (method: string, path: string, init: Init) => unknown;
  client.request = (method: string, path: string, init: Init) => called(path, init, () => request(method, path, init));
  return client as unknown as CloudSoarClient;
}
