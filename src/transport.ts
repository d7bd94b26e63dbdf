// The fetch that openapi-fetch calls: rate limit, per-attempt timeout that also covers reading the
// body, retries with backoff, and typed errors for bodies that fail to arrive or to parse.
// Measured choices (see bench/): openapi-fetch is given PreparedRequest instead of the platform
// Request, because building an undici Request costs about as much as the rest of the client; and
// answers are not buffered and copied, their body readers are wrapped instead.
import { CloudSoarNetworkError, CloudSoarResponseError, CloudSoarTimeoutError, type RequestDescription } from './errors.js';

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

/** What the client's method wrapper knows about a call and openapi-fetch does not pass on. */
export interface CallContext {
  /** The spec path template, e.g. `/incidents/{id}/`. */
  schemaPath: string;
  /** How the answer is read (openapi-fetch's `parseAs`). */
  parseAs: 'json' | 'text' | 'blob' | 'arrayBuffer' | 'stream';
}

export interface PreparedInit {
  method?: string | undefined;
  /** A Headers object, or a plain record of header values that is never written to. */
  headers?: Headers | Record<string, string> | undefined;
  body?: BodyInit | null | undefined;
  signal?: AbortSignal | null | undefined;
  redirect?: RequestRedirect | undefined;
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
  readonly redirect: RequestRedirect | undefined;
  /** Further RequestInit keys given to the call (`cache`, `credentials`, …), passed to fetch. */
  readonly extra: RequestInit | undefined;
  readonly call: CallContext | undefined;
  // Most calls send the client's fixed headers: they stay a shared plain record, which fetch copies
  // faster than a Headers object, until somebody (a middleware) asks for `headers`.
  #headers: Headers | undefined;
  readonly #record: Record<string, string> | undefined;

  constructor(url: string | URL, init: PreparedInit = {}, call?: CallContext) {
    this.url = String(url);
    this.method = (init.method ?? 'GET').toUpperCase();
    if (init.headers instanceof Headers) this.#headers = init.headers;
    else this.#record = init.headers ?? {};
    this.body = init.body ?? null;
    this.signal = init.signal ?? null;
    this.redirect = init.redirect;
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

  /** Bodies here are strings, FormData or Blobs, never streams: a copy can share them. */
  with(changes: { headers?: Headers; body?: BodyInit | null }): PreparedRequest {
    return new PreparedRequest(
      this.url,
      { method: this.method, headers: changes.headers ?? this.headersInit, body: changes.body === undefined ? this.body : changes.body, signal: this.signal, redirect: this.redirect, extra: this.extra },
      this.call,
    );
  }

  /** The body as text (JSON or XML requests). */
  async text(): Promise<string> {
    return this.body === null ? '' : new Response(this.body).text();
  }
}

interface Deadline {
  ms: number;
  controller?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
}

/** The attempt that produced an answer: its number and deadline, for reading the body. */
const attempts = new WeakMap<Response, { attempt: number; deadline: Deadline }>();

/**
 * Reads an answer's body within its attempt's deadline, and ends the deadline. A failure names the
 * request: a timeout, a body cut off (CloudSoarNetworkError) or invalid JSON (CloudSoarResponseError).
 */
export async function readBody<T>(response: Response, reader: (response: Response) => Promise<T>, describe: () => RequestDescription): Promise<T> {
  const state = attempts.get(response);
  try {
    return await reader(response);
  } catch (error) {
    if (state?.deadline.controller?.signal.aborted) throw new CloudSoarTimeoutError(describe(), state.deadline.ms, state.attempt);
    if (error instanceof SyntaxError) throw new CloudSoarResponseError(describe(), response.status, response.headers.get('content-type'), `invalid JSON (${error.message})`);
    throw new CloudSoarNetworkError(describe(), state?.attempt ?? 1, error);
  } finally {
    clearTimeout(state?.deadline.timer);
  }
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
  describe: (request: PreparedRequest) => RequestDescription;
  /** For tests: the clock's sleep and the jitter source. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
export const DEFAULT_RETRY: Required<RetryOptions> = { retries: 3, baseDelayMs: 250, maxDelayMs: 10_000, retryOn: [429, 502, 503, 504], retryNonIdempotent: false };
export const DEFAULT_RATE_LIMIT: Required<RateLimitOptions> = { requestsPerSecond: 4, burst: 4 };

export function abortableSleep(ms: number, signal?: AbortSignal | null): Promise<void> {
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

/** A token bucket: `burst` requests at once, then `requestsPerSecond`, served in arrival order. */
export class TokenBucket {
  #tokens: number;
  #last: number;
  #waiting = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly rate: number,
    private readonly capacity: number,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = capacity;
    this.#last = now();
  }

  /** Resolves when a token is free; returns undefined (no promise to await) when one is free now. */
  take(signal?: AbortSignal): Promise<void> | undefined {
    if (this.#waiting === 0 && this.#refill() >= 1) {
      this.#tokens -= 1;
      return undefined;
    }
    this.#waiting++;
    const turn = this.#queue.then(async () => {
      while (this.#refill() < 1) await this.sleep(((1 - this.#tokens) / this.rate) * 1000, signal);
      this.#tokens -= 1;
    });
    // A caller that gives up must not block the ones behind it.
    this.#queue = turn.catch(() => undefined).finally(() => this.#waiting--);
    return turn;
  }

  #refill(): number {
    const now = this.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#last) / 1000) * this.rate);
    this.#last = now;
    return this.#tokens;
  }
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function createTransport(options: TransportOptions): (request: PreparedRequest) => Promise<Response> {
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const retry = options.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...options.retry };
  const bucket =
    options.rateLimit === false
      ? undefined
      : (() => {
          const { requestsPerSecond, burst } = { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
          return new TokenBucket(requestsPerSecond, burst, sleep);
        })();
  const backoff = (attempt: number) => random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));

  return async function transport(request: PreparedRequest): Promise<Response> {
    const userSignal = request.signal ?? undefined;
    const mayRetry = IDEMPOTENT.has(request.method) || retry.retryNonIdempotent;
    for (let attempt = 1; ; attempt++) {
      const canRetry = mayRetry && attempt <= retry.retries;
      const wait = bucket?.take(userSignal);
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
        if (request.redirect) init.redirect = request.redirect;
        response = await options.fetch(request.url, init);
      } catch (error) {
        clearTimeout(timeout.timer);
        if (userSignal?.aborted) throw userSignal.reason;
        const failure = timeout.controller?.signal.aborted ? new CloudSoarTimeoutError(options.describe(request), timeout.ms, attempt) : new CloudSoarNetworkError(options.describe(request), attempt, error);
        if (!canRetry) throw failure;
        await sleep(backoff(attempt), userSignal);
        continue;
      }
      if (canRetry && retry.retryOn.includes(response.status)) {
        const asked = retryAfterMs(response);
        // Longer than we may wait: the caller decides.
        if (asked !== undefined && asked > retry.maxDelayMs) return answered(response, attempt, timeout);
        clearTimeout(timeout.timer);
        await response.body?.cancel();
        await sleep(asked ?? backoff(attempt), userSignal);
        continue;
      }
      return answered(response, attempt, timeout);
    }
  };
}

function answered(response: Response, attempt: number, deadline: Deadline): Response {
  attempts.set(response, { attempt, deadline });
  return response;
}
