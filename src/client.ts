import type { Client } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { authorization, type CloudSoarAuth } from './auth.js';
import { CloudSoarConfigError, CloudSoarResponseError } from './errors.js';
import { responseRequests } from './results.js';
import { legacyBaseUrl, normaliseBaseUrl, saasBaseUrl, type SaasDeployment } from './servers.js';
import { createDispatcher, type CallResult } from './request.js';
import { createTransport, describe, PreparedRequest, readBody, releaseBody, type RateLimitOptions, type RetryOptions } from './transport.js';

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

function positiveNumber(value: unknown, option: string): void {
  if (value !== undefined && !(Number.isFinite(value) && (value as number) > 0)) {
    throw new CloudSoarConfigError(option, `must be a positive number, got ${JSON.stringify(value)}`);
  }
}

const text = (response: Response) => response.text();
const json = (response: Response) => response.json();
/** Without a length the body may be empty (openapi-fetch reads that as no data). */
const jsonOrEmpty = async (response: Response) => {
  const body = await response.text();
  return body === '' ? undefined : JSON.parse(body);
};
/** As openapi-fetch: an error body is JSON when it parses, else its text. */
function jsonOrText(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

type XmlModule = typeof import('./xml/middleware.js');
let xmlModule: Promise<XmlModule> | undefined;
const loadXml = () => (xmlModule ??= import('./xml/middleware.js'));

/** Creates a client typed by the generated description of the Cloud SOAR v3 API. */
export function createCloudSoarClient(options: CloudSoarClientOptions): CloudSoarClient {
  if (typeof options !== 'object' || options === null) throw new CloudSoarConfigError('options', 'must be an object with a server and auth');
  const baseUrl = chooseBaseUrl(options);
  const authorizationHeader = authorization(options);
  if (options.timeoutMs !== false) positiveNumber(options.timeoutMs, 'timeoutMs');
  if (options.rateLimit) {
    positiveNumber(options.rateLimit.requestsPerSecond, 'rateLimit.requestsPerSecond');
    positiveNumber(options.rateLimit.burst, 'rateLimit.burst');
  }
  if (options.retry) {
    if (options.retry.retries !== undefined && (!Number.isInteger(options.retry.retries) || options.retry.retries < 0)) {
      throw new CloudSoarConfigError('retry.retries', 'must be a whole number, 0 or more');
    }
    positiveNumber(options.retry.baseDelayMs, 'retry.baseDelayMs');
    positiveNumber(options.retry.maxDelayMs, 'retry.maxDelayMs');
  }
  const format = options.format ?? 'json';
  if (format !== 'json' && format !== 'xml') throw new CloudSoarConfigError('format', 'must be "json" or "xml"');
  const baseFetch = options.fetch ?? globalThis.fetch;
  if (typeof baseFetch !== 'function') throw new CloudSoarConfigError('fetch', 'must be a function (no global fetch here)');

  const transport = createTransport({
    fetch: baseFetch,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: options.retry ?? {},
    rateLimit: options.rateLimit ?? {},
  });

  /**
   * openapi-fetch's reading of an answer into `{ data }` or `{ error }`, with what a JSON API needs
   * on top: a 2xx must be JSON (or XML in XML mode, read into the same shape), and a body that
   * cannot be read or parsed becomes a typed error naming the request.
   */
  async function read(response: Response, request: PreparedRequest): Promise<CallResult> {
    const { parseAs } = request.call;
    // errorOf() names the operation of failed answers only; successful ones need no record.
    if (!response.ok) responseRequests.set(response, request);
    const length = response.headers.get('content-length');
    if (response.status === 204 || request.method === 'HEAD' || (length === '0' && !response.headers.get('transfer-encoding')?.includes('chunked'))) {
      releaseBody(response);
      return response.ok ? { data: undefined, response } : { error: undefined, response };
    }
    const contentType = response.headers.get('content-type') ?? '';
    // An error body is JSON when it parses, else text (as in openapi-fetch); XML-mode XML is decoded below.
    if (!response.ok && (parseAs !== 'json' || !(format === 'xml' && XML_TYPE.test(contentType)))) {
      return { error: jsonOrText(await readBody(response, text, request)), response };
    }
    if (parseAs === 'stream') return { data: response.body, response };
    if (parseAs !== 'json') return { data: await readBody(response, (answer): Promise<unknown> => answer[parseAs](), request), response };
    if (JSON_TYPE.test(contentType)) return { data: await readBody(response, length === null ? jsonOrEmpty : json, request), response };
    if (format === 'xml' && XML_TYPE.test(contentType)) {
      const body = await readBody(response, text, request);
      return (await loadXml()).readXmlAnswer(response, request, body, (message) => new CloudSoarResponseError(describe(request), response.status, contentType, message));
    }
    releaseBody(response);
    await response.body?.cancel();
    throw new CloudSoarResponseError(describe(request), response.status, contentType || null, `expected ${format === 'xml' ? 'XML or JSON' : 'JSON'}`);
  }

  return createDispatcher({
    baseUrl,
    headers: { ...options.headers, Authorization: authorizationHeader },
    // Bodies are strings, FormData or Blobs, never streams: the XML request can share the rest.
    send: format === 'xml' ? async (request) => transport(new PreparedRequest(request.url, { ...request, ...(await (await loadXml()).xmlRequestParts(request)) }, request.call)) : transport,
    read,
  }) as unknown as CloudSoarClient;
}
