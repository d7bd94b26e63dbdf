import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { authorization, type CloudSoarAuth } from './auth.js';
import {
  CloudSoarArgumentError,
  CloudSoarConfigError,
  CloudSoarNetworkError,
  CloudSoarRequestError,
  CloudSoarResponseError,
  CloudSoarTimeoutError,
} from './errors.js';
import type { ExactClient } from './exact.js';
import { HTTP_METHODS } from './operation-ids.js';
import { describeOperation, failedRequests } from './results.js';
import { legacyBaseUrl, normaliseBaseUrl, type SaasDeployment, saasBaseUrl } from './servers.js';
import {
  type CallState,
  createTransport,
  deadlineSignal,
  type RateLimitOptions,
  type RetryOptions,
} from './transport.js';

export type CloudSoarPaths = paths;
/** openapi-fetch's client with exact request types (src/exact.ts): unknown keys in params and body do not compile. */
export type CloudSoarClient = ExactClient<paths>;

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
    /** The network fetch; defaults to the global one. A per-call `fetch` replaces it for that call. */
    fetch?: typeof globalThis.fetch;
    /** Per attempt, until the whole answer is read; default 30 000 ms; `false` for none. */
    timeoutMs?: number | false;
    /** Retries of 429/502/503/504 and network errors on idempotent methods; `false` turns them off. */
    retry?: RetryOptions | false;
    /**
     * Client-side limits per credential: default 4 requests per second and 10 in flight, kept in
     * this process; `store` shares them between processes (`cloudsoar-v3/redis`); `false` turns them off.
     */
    rateLimit?: RateLimitOptions | false;
    /** Extra headers on every request (not for credentials). */
    headers?: Record<string, string>;
  };

const DEFAULT_TIMEOUT_MS = 30_000;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
/** openapi-fetch's own messages for a middleware hook that returned the wrong thing. */
const MIDDLEWARE_MISUSE = /^(?:onRequest|onResponse|onError): /;

function chooseBaseUrl(options: ServerChoice): string {
  const given = [
    options.baseUrl !== undefined,
    options.deployment !== undefined,
    options.legacyHost !== undefined,
  ].filter(Boolean).length;
  if (given !== 1)
    throw new CloudSoarConfigError('baseUrl', 'give exactly one of baseUrl, deployment (SaaS) or legacyHost');
  if (options.deployment !== undefined) return saasBaseUrl(options.deployment);
  if (options.legacyHost !== undefined)
    return legacyBaseUrl(options.legacyHost, options.scheme ? { scheme: options.scheme } : {});
  return normaliseBaseUrl(options.baseUrl);
}

function positiveNumber(value: unknown, option: string): void {
  if (value !== undefined && !(Number.isFinite(value) && (value as number) > 0)) {
    throw new CloudSoarConfigError(option, `must be a positive number, got ${JSON.stringify(value)}`);
  }
}

// The argument guard and its table (a few KB) are not part of the core entry: their import starts
// when a client is made and is awaited by the first call (after that, no await).
let loadedGuard: typeof import('./guard.js') | undefined;
let loadingGuard: Promise<typeof import('./guard.js')> | undefined;
function loadGuard(): Promise<typeof import('./guard.js')> {
  loadingGuard ??= import('./guard.js').then((guard) => {
    loadedGuard = guard;
    return guard;
  });
  return loadingGuard;
}

/** Creates a client typed by the generated description of the Cloud SOAR v3 API. */
export function createCloudSoarClient(options: CloudSoarClientOptions): CloudSoarClient {
  if (typeof options !== 'object' || options === null)
    throw new CloudSoarConfigError('options', 'must be an object with a server and auth');
  const baseUrl = chooseBaseUrl(options);
  const authorizationHeader = authorization(options);
  if (options.timeoutMs !== false) positiveNumber(options.timeoutMs, 'timeoutMs');
  if (options.rateLimit) {
    positiveNumber(options.rateLimit.requestsPerSecond, 'rateLimit.requestsPerSecond');
    positiveNumber(options.rateLimit.burst, 'rateLimit.burst');
    const lanes = options.rateLimit.maxConcurrent;
    if (lanes !== undefined && !(Number.isInteger(lanes) && lanes > 0) && lanes !== Infinity) {
      throw new CloudSoarConfigError(
        'rateLimit.maxConcurrent',
        `must be a whole number above 0 (or Infinity), got ${JSON.stringify(lanes)}`,
      );
    }
    const store = options.rateLimit.store;
    if (store !== undefined && typeof store?.limiterFor !== 'function')
      throw new CloudSoarConfigError(
        'rateLimit.store',
        "must be a limit store, e.g. createRedisLimitStore() from 'cloudsoar-v3/redis'",
      );
  }
  if (options.retry) {
    if (
      options.retry.retries !== undefined &&
      (!Number.isInteger(options.retry.retries) || options.retry.retries < 0)
    ) {
      throw new CloudSoarConfigError('retry.retries', 'must be a whole number, 0 or more');
    }
    positiveNumber(options.retry.baseDelayMs, 'retry.baseDelayMs');
    positiveNumber(options.retry.maxDelayMs, 'retry.maxDelayMs');
  }
  if ('format' in options)
    throw new CloudSoarConfigError(
      'format',
      "is gone: for XML, import { xml } from 'cloudsoar-v3/xml' and call client.use(xml)",
    );
  const baseFetch = options.fetch ?? globalThis.fetch;
  if (typeof baseFetch !== 'function')
    throw new CloudSoarConfigError('fetch', 'must be a function (no global fetch here)');

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const send = createTransport({
    timeoutMs,
    retry: options.retry ?? {},
    rateLimit: options.rateLimit ?? {},
    rateLimitKey: authorizationHeader,
  });
  // Started now, so the first call need not wait for it; a failure is reported by that call.
  if (!loadedGuard) loadGuard().catch(() => {});
  const core = createClient<paths>({ baseUrl, headers: { ...options.headers, Authorization: authorizationHeader } });

  /**
   * One call through openapi-fetch, with the transport as its fetch (a per-call `fetch` becomes the
   * network fetch under it), and what a JSON API needs on top: a 2xx read as JSON must be JSON,
   * and an answer that cannot be read becomes a typed error naming the operation.
   */
  async function call(method: string, schemaPath: string, init: Record<string, unknown> = {}) {
    // Before anything is sent: the arguments against the description (CloudSoarArgumentError).
    const guard = loadedGuard ?? (await loadGuard());
    guard.guardArguments(method, schemaPath, init);
    const signal = (init.signal ?? undefined) as AbortSignal | undefined;
    const deadline = timeoutMs === false ? undefined : new AbortController();
    const state: CallState = {
      operation: () => describeOperation(method, schemaPath, guard.isDescribed(method, schemaPath)),
      fetch: (init.fetch as typeof fetch | undefined) ?? baseFetch,
      attempts: 0,
      signal,
      deadline,
    };
    const parseAs = init.parseAs ?? 'json';
    if (parseAs === 'stream') state.stream = true;
    try {
      const fetch = (input: Request | string | URL, requestInit?: RequestInit) =>
        send(input instanceof Request ? input : new Request(input, requestInit), state);
      const callInit: Record<string, unknown> = { ...init, fetch };
      if (deadline) callInit.signal = deadlineSignal(deadline, signal);
      const result = await core.request(method as 'get', schemaPath as never, callInit as never);
      const { response } = result as { response: Response; data?: unknown };
      if (!response.ok) failedRequests.set(response, state.operation());
      else if (
        parseAs === 'json' &&
        (result as { data?: unknown }).data !== undefined &&
        !JSON_TYPE.test(response.headers.get('content-type') ?? '')
      ) {
        throw new CloudSoarResponseError(
          state.operation(),
          response.status,
          response.headers.get('content-type'),
          'expected JSON',
        );
      }
      return result;
    } catch (error) {
      throw typedError(error, state, timeoutMs || 0);
    } finally {
      // A stream is read after the call returns: its deadline runs on (the timer does not hold the process).
      if (parseAs !== 'stream') clearTimeout(state.timer);
      // The body has been read (or was not handed over): its lane is free. A streamed one frees its own.
      state.release?.();
    }
  }

  const client = { ...core } as Record<string, unknown>;
  client.request = (method: string, path: string, init?: Record<string, unknown>) =>
    call(method.toUpperCase(), path, init);
  for (const method of HTTP_METHODS)
    client[method] = (path: string, init?: Record<string, unknown>) => call(method, path, init);
  client.use = (...middleware: Middleware[]) => {
    try {
      core.use(...middleware);
    } catch (error) {
      throw new CloudSoarArgumentError('middleware', (error as Error).message);
    }
  };
  return client as unknown as CloudSoarClient;
}

/** What a failure while sending or reading becomes: errors that name the operation, never a bare platform error. */
function typedError(error: unknown, { operation, attempts, answer }: CallState, timeoutMs: number): unknown {
  if (error instanceof CloudSoarRequestError || !(error instanceof Error)) return error;
  const description = operation();
  if (error.name === 'TimeoutError') return new CloudSoarTimeoutError(description, timeoutMs, attempts);
  if (error instanceof SyntaxError && answer) {
    const contentType = answer.headers.get('content-type');
    return new CloudSoarResponseError(
      description,
      answer.status,
      contentType,
      JSON_TYPE.test(contentType ?? '') ? `invalid JSON (${error.message})` : 'expected JSON',
    );
  }
  if (error.constructor === Error && MIDDLEWARE_MISUSE.test(error.message))
    return new CloudSoarArgumentError('middleware', error.message);
  // The body broke off after the headers (undici: "terminated"); not retried, as the answer is not buffered.
  if (error instanceof TypeError && answer)
    return new CloudSoarNetworkError(description, attempts, error, '', answer.url);
  return error;
}
