// What the client sends each request through: the rate limit, a per-attempt timeout that also
// covers reading the body (readBody), retries with backoff, and typed errors for answers that do not
// arrive. Answers are not buffered: the client reads each body once, through readBody.
import { CloudSoarNetworkError, CloudSoarResponseError, CloudSoarTimeoutError, type RequestDescription } from './errors.js';
import { describeOperation } from './results.js';

export interface RetryOptions {
  /** Further attempts after the first; default 3. */
  retries?: number;
  /** First backoff step; default 250 ms, doubled per attempt, with full jitter. */
  baseDelayMs?: number;
  /** Longest wait between attempts; a longer `Retry-After` ends the retries instead. Default 10 s. */
  maxDelayMs?: number;
  /** Statuses worth another attempt; default 429, 502, 503, 504. */
  retryOn?: readonly number[];
  /** Also retry POST and PATCH. Off by default: they may not be idempotent. */
  retryNonIdempotent?: boolean;
}

export interface RateLimitOptions {
  /** Sustained rate; default 4, Sumo Logic's documented limit per user. */
  requestsPerSecond?: number;
  /** Requests allowed at once before the rate applies; default 4. */
  burst?: number;
}

/** What a request carries besides what fetch needs: how errors name it and how to read its answer. */
export interface CallContext {
  /** The spec path template, e.g. `/incidents/{id}/`. */
  schemaPath: string;
  /** How the answer is read (openapi-fetch's `parseAs`). */
  parseAs: 'json' | 'text' | 'blob' | 'arrayBuffer' | 'stream';
}

export interface PreparedInit {
  /** Upper case, as the client's methods give it. */
  method: string;
  /** A Headers object, or a plain record of header values that is never written to. */
  headers?: Headers | Record<string, string> | undefined;
  body?: BodyInit | null | undefined;
  signal?: AbortSignal | null | undefined;
  extra?: RequestInit | undefined;
}

/**
 * A built request: lighter than the platform Request (building an undici Request costs about as
 * much as the rest of the client). Middleware gets it as its `request`.
 */
export class PreparedRequest {
  readonly url: string;
  readonly method: string;
  readonly body: BodyInit | null;
  readonly signal: AbortSignal | null;
  /** Further RequestInit keys given to the call (`redirect`, `cache`, `credentials`, …), passed to fetch. */
  readonly extra: RequestInit | undefined;
  readonly call: CallContext;
  // Most calls send the client's fixed headers: they stay a shared plain record, which fetch copies
  // faster than a Headers object, until somebody (a middleware) asks for `headers`.
  #headers: Headers | undefined;
  readonly #record: Record<string, string> | undefined;

  constructor(url: string | URL, init: PreparedInit, call: CallContext) {
    this.url = String(url);
    this.method = init.method;
    if (init.headers instanceof Headers) this.#headers = init.headers;
    else this.#record = init.headers ?? {};
    this.body = init.body ?? null;
    this.signal = init.signal ?? null;
    this.extra = init.extra;
    this.call = call;
  }

  get headers(): Headers {
    return (this.#headers ??= new Headers(this.#record));
  }

  /** The headers as fetch is given them. */
  get headersInit(): Headers | Record<string, string> {
    return this.#headers ?? this.#record!;
  }
}

interface Deadline {
  ms: number;
  controller?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
}

/** How errors name a request: method, spec path and operationId (never headers, so never credentials). */
export const describe = (request: PreparedRequest): RequestDescription => describeOperation(request.method, request.call.schemaPath);

/** The attempt that produced an answer: its number and deadline, for reading the body. */
const attempts = new WeakMap<Response, { attempt: number; deadline: Deadline }>();

/**
 * Reads an answer's body within its attempt's deadline, and ends the deadline. A failure names the
 * request: a timeout, a body cut off (CloudSoarNetworkError) or invalid JSON (CloudSoarResponseError).
 */
export async function readBody<T>(response: Response, reader: (response: Response) => Promise<T>, request: PreparedRequest): Promise<T> {
  const state = attempts.get(response);
  try {
    return await reader(response);
  } catch (error) {
    if (error instanceof SyntaxError) throw new CloudSoarResponseError(describe(request), response.status, response.headers.get('content-type'), `invalid JSON (${error.message})`);
    throw failure(request, state?.deadline, state?.attempt ?? 1, error);
  } finally {
    clearTimeout(state?.deadline.timer);
  }
}

/** A request that got no (whole) answer: it timed out, or the network failed. */
function failure(request: PreparedRequest, deadline: Deadline | undefined, attempt: number, cause: unknown): Error {
  return deadline?.controller?.signal.aborted ? new CloudSoarTimeoutError(describe(request), deadline.ms, attempt) : new CloudSoarNetworkError(describe(request), attempt, cause);
}

/** Ends the deadline of an answer whose body is not read (204, HEAD, empty, or handed on as a stream). */
export function releaseBody(response: Response): void {
  clearTimeout(attempts.get(response)?.deadline.timer);
}

export interface TransportOptions {
  fetch: typeof globalThis.fetch;
  /** Per attempt, until the body is read; `false` for none. */
  timeoutMs: number | false;
  retry: RetryOptions | false;
  rateLimit: RateLimitOptions | false;
}

const IDEMPOTENT = /^(?:GET|HEAD|OPTIONS|PUT|DELETE)$/;
const DEFAULT_RETRY: Required<RetryOptions> = { retries: 3, baseDelayMs: 250, maxDelayMs: 10_000, retryOn: [429, 502, 503, 504], retryNonIdempotent: false };
const DEFAULT_RATE_LIMIT: Required<RateLimitOptions> = { requestsPerSecond: 4, burst: 4 };

function abortableSleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A rate limit kept as a schedule (the generic cell rate algorithm, equivalent to a token bucket):
 * `burst` requests at once, then one per 1/`rate` s, in arrival order. Returns undefined (nothing
 * to await) when the request may go now. A caller that gives up while waiting keeps its slot, so
 * nobody behind it waits longer than scheduled.
 */
export function rateLimiter(rate: number, burst: number): (signal?: AbortSignal) => Promise<void> | undefined {
  const interval = 1000 / rate;
  let next = 0; // when the next request would go if no burst were left
  return (signal) => {
    const now = performance.now();
    next = Math.max(next, now);
    const wait = next - (burst - 1) * interval - now;
    next += interval;
    return wait > 0 ? abortableSleep(wait, signal) : undefined;
  };
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function createTransport(options: TransportOptions): (request: PreparedRequest) => Promise<Response> {
  const retry = options.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...options.retry };
  const limit = options.rateLimit && { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
  const take = limit ? rateLimiter(limit.requestsPerSecond, limit.burst) : undefined;
  const backoff = (attempt: number) => Math.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));

  return async function transport(request: PreparedRequest): Promise<Response> {
    const userSignal = request.signal ?? undefined;
    const mayRetry = IDEMPOTENT.test(request.method) || retry.retryNonIdempotent;
    for (let attempt = 1; ; attempt++) {
      const canRetry = mayRetry && attempt <= retry.retries;
      const wait = take?.(userSignal);
      if (wait) await wait;
      const timeout: Deadline = { ms: options.timeoutMs || 0 };
      let signal = userSignal;
      if (options.timeoutMs !== false) {
        const controller = (timeout.controller = new AbortController());
        timeout.timer = setTimeout(() => controller.abort(), options.timeoutMs);
        // A stream handed to the caller keeps its deadline; it must not keep the process alive.
        (timeout.timer as { unref?: () => void }).unref?.();
        signal = userSignal ? AbortSignal.any([userSignal, controller.signal]) : controller.signal;
      }
      let response: Response;
      try {
        const init: RequestInit = request.extra ? { ...request.extra } : {};
        init.method = request.method;
        init.headers = request.headersInit;
        init.body = request.body;
        if (signal) init.signal = signal;
        response = await options.fetch(request.url, init);
      } catch (error) {
        clearTimeout(timeout.timer);
        if (userSignal?.aborted) throw userSignal.reason;
        if (!canRetry) throw failure(request, timeout, attempt, error);
        await abortableSleep(backoff(attempt), userSignal);
        continue;
      }
      if (canRetry && retry.retryOn.includes(response.status)) {
        const asked = retryAfterMs(response);
        // Longer than we may wait: the caller decides.
        if (asked !== undefined && asked > retry.maxDelayMs) return answered(response, attempt, timeout);
        clearTimeout(timeout.timer);
        await response.body?.cancel();
        await abortableSleep(asked ?? backoff(attempt), userSignal);
        continue;
      }
      return answered(response, attempt, timeout);
    }
  };
}

/** Records the attempt for readBody; a first attempt without a deadline has nothing to record. */
function answered(response: Response, attempt: number, deadline: Deadline): Response {
  if (attempt > 1 || deadline.timer) attempts.set(response, { attempt, deadline });
  return response;
}
