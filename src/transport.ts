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
  /** How openapi-fetch will read the answer. */
  parseAs: string;
}

let pendingCall: CallContext | undefined;

/**
 * Runs `start` (an openapi-fetch method) with `call` available to the PreparedRequest it builds.
 * openapi-fetch builds its request synchronously, before its first await, so the hand-over is exact.
 */
export function withCall<T>(call: CallContext, start: () => T): T {
  pendingCall = call;
  try {
    return start();
  } finally {
    pendingCall = undefined;
  }
}

/** The request openapi-fetch builds (through its `Request` option); the transport sends it. */
export class PreparedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: BodyInit | null;
  readonly signal: AbortSignal | null;
  readonly redirect: RequestRedirect | undefined;
  readonly call: CallContext | undefined;

  constructor(url: string | URL, init: RequestInit = {}, call: CallContext | undefined = pendingCall) {
    this.url = String(url);
    this.method = (init.method ?? 'GET').toUpperCase();
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.body = init.body ?? null;
    this.signal = init.signal ?? null;
    this.redirect = init.redirect;
    this.call = call;
  }

  /** Bodies here are strings, FormData or Blobs, never streams: a copy can share them. */
  with(changes: { headers?: Headers; body?: BodyInit | null }): PreparedRequest {
    return new PreparedRequest(
      this.url,
      { method: this.method, headers: changes.headers ?? this.headers, body: changes.body === undefined ? this.body : changes.body, signal: this.signal, ...(this.redirect ? { redirect: this.redirect } : {}) },
      this.call,
    );
  }

  /** The body as text (JSON or XML requests). */
  async text(): Promise<string> {
    return this.body === null ? '' : new Response(this.body).text();
  }
}

const BODY_READERS = ['json', 'text', 'arrayBuffer', 'blob'] as const;

interface Deadline {
  ms: number;
  controller?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
}

interface Guard {
  describe: () => RequestDescription;
  attempt: number;
  deadline: Deadline;
}
const guards = new WeakMap<Response, Guard>();

/** The readers installed on every answer; shared functions, the per-answer state is in `guards`. */
const GUARDED_READERS = Object.fromEntries(
  BODY_READERS.map((reader) => {
    const read = Response.prototype[reader] as (this: Response) => Promise<unknown>;
    return [
      reader,
      async function guarded(this: Response) {
        const guard = guards.get(this)!;
        try {
          return await read.call(this);
        } catch (error) {
          const { describe, attempt, deadline } = guard;
          if (deadline.controller?.signal.aborted) throw new CloudSoarTimeoutError(describe(), deadline.ms, attempt);
          if (error instanceof SyntaxError) throw new CloudSoarResponseError(describe(), this.status, this.headers.get('content-type'), `invalid JSON (${error.message})`);
          throw new CloudSoarNetworkError(describe(), attempt, error);
        } finally {
          clearTimeout(guard.deadline.timer);
        }
      },
    ];
  }),
);

/**
 * Installs the guarded body readers (own properties shadowing Response.prototype), so that reading
 * ends the attempt's deadline and a failure names the request: a timeout, a cut-off body
 * (CloudSoarNetworkError), or invalid JSON (CloudSoarResponseError).
 */
function guardBody(response: Response, describe: () => RequestDescription, attempt: number, deadline: Deadline): Response {
  guards.set(response, { describe, attempt, deadline });
  return Object.assign(response, GUARDED_READERS);
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
    const describe = () => options.describe(request); // only errors need it
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
        signal = userSignal ? AbortSignal.any([userSignal, controller.signal]) : controller.signal;
      }
      let response: Response;
      try {
        response = await options.fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          ...(signal ? { signal } : {}),
          ...(request.redirect ? { redirect: request.redirect } : {}),
        });
      } catch (error) {
        clearTimeout(timeout.timer);
        if (userSignal?.aborted) throw userSignal.reason;
        const failure = timeout.controller?.signal.aborted ? new CloudSoarTimeoutError(describe(), timeout.ms, attempt) : new CloudSoarNetworkError(describe(), attempt, error);
        if (!canRetry) throw failure;
        await sleep(backoff(attempt), userSignal);
        continue;
      }
      if (canRetry && retry.retryOn.includes(response.status)) {
        const asked = retryAfterMs(response);
        if (asked !== undefined && asked > retry.maxDelayMs) return guardBody(response, describe, attempt, timeout); // longer than we may wait: let the caller decide
        clearTimeout(timeout.timer);
        await response.body?.cancel();
        await sleep(asked ?? backoff(attempt), userSignal);
        continue;
      }
      return guardBody(response, describe, attempt, timeout);
    }
  };
}
