// The fetch that openapi-fetch calls: rate limit, per-attempt timeout, retries with backoff, and a
// fully read body (so a cut-off body is a network error that can be retried, not a parse error).
import { CloudSoarNetworkError, CloudSoarTimeoutError, type RequestDescription } from './errors.js';

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

export interface TransportOptions {
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  retry: RetryOptions | false;
  rateLimit: RateLimitOptions | false;
  describe: (request: Request) => RequestDescription;
  /** For tests: the clock's sleep and the jitter source. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
export const DEFAULT_RETRY: Required<RetryOptions> = { retries: 3, baseDelayMs: 250, maxDelayMs: 10_000, retryOn: [429, 502, 503, 504], retryNonIdempotent: false };
export const DEFAULT_RATE_LIMIT: Required<RateLimitOptions> = { requestsPerSecond: 4, burst: 4 };

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
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

  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(async () => {
      for (;;) {
        const now = this.now();
        this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#last) / 1000) * this.rate);
        this.#last = now;
        if (this.#tokens >= 1) {
          this.#tokens -= 1;
          return;
        }
        await this.sleep(((1 - this.#tokens) / this.rate) * 1000, signal);
      }
    });
    // A caller that gives up must not block the ones behind it.
    this.#queue = turn.catch(() => undefined);
    return turn;
  }
}

function retryAfterMs(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function createTransport(options: TransportOptions): (input: Request) => Promise<Response> {
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

  return async function transport(request: Request): Promise<Response> {
    const description = options.describe(request);
    const userSignal = request.signal;
    const mayRetry = IDEMPOTENT.has(request.method) || retry.retryNonIdempotent;
    for (let attempt = 1; ; attempt++) {
      const canRetry = mayRetry && attempt <= retry.retries;
      await bucket?.take(userSignal);
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), options.timeoutMs);
      const signal = AbortSignal.any([userSignal, timeout.signal]);
      let response: Response;
      try {
        const sent = await options.fetch(new Request(request.clone(), { signal }));
        // Read the whole body within the same deadline: a cut-off body fails here, retryably.
        const body = sent.status === 204 || sent.status === 304 || request.method === 'HEAD' ? null : await sent.arrayBuffer();
        response = new Response(body, { status: sent.status, statusText: sent.statusText, headers: sent.headers });
      } catch (error) {
        if (userSignal.aborted) throw userSignal.reason;
        const failure = timeout.signal.aborted ? new CloudSoarTimeoutError(description, options.timeoutMs, attempt) : new CloudSoarNetworkError(description, attempt, error);
        if (!canRetry) throw failure;
        await sleep(backoff(attempt), userSignal);
        continue;
      } finally {
        clearTimeout(timer);
      }
      if (canRetry && retry.retryOn.includes(response.status)) {
        const asked = retryAfterMs(response);
        if (asked !== undefined && asked > retry.maxDelayMs) return response; // longer than we may wait: let the caller decide
        await sleep(asked ?? backoff(attempt), userSignal);
        continue;
      }
      return response;
    }
  };
}
