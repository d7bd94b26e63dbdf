// What every request goes through on its way to the network, as the `fetch` the client gives
// openapi-fetch: the rate limit, a per-attempt timeout (an abort signal, so it covers reading the
// body too), retries with backoff and Retry-After, and typed errors for answers that never came.
import { CloudSoarNetworkError, CloudSoarTimeoutError, retryAfterMs, type RequestDescription } from './errors.js';

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
  /** Requests allowed at once before the rate applies; default 1 (see README, Decisions). */
  burst?: number;
}

/** One call's state, shared by its attempts and by the client that reads the answer. */
export interface CallState {
  /** How errors name the request: method, spec path, operationId (never headers or URL); made when needed. */
  operation: () => RequestDescription;
  /** The network fetch for this call (the client's, or one given per call). */
  fetch: typeof globalThis.fetch;
  /** Attempts made so far. */
  attempts: number;
  /** The deadline of the last attempt: it runs on while the body is read, and is cleared after. */
  timer?: ReturnType<typeof setTimeout>;
  /** The last answer the network gave (for naming a body that cannot be read). */
  answer?: Response;
  /** The caller's signal, if any. */
  signal?: AbortSignal | undefined;
  /**
   * The first attempt's deadline, made by the client before openapi-fetch builds the request and
   * put on it, so fetch need not copy the request to add a signal (that copy cost ~30 % of a
   * loopback call). Later attempts make their own.
   */
  deadline?: AbortController | undefined;
}

/** A signal that aborts on the caller's signal or the deadline. */
export function deadlineSignal(deadline: AbortController, signal: AbortSignal | undefined): AbortSignal {
  return signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
}

export interface TransportOptions {
  timeoutMs: number | false;
  retry: RetryOptions | false;
  rateLimit: RateLimitOptions | false;
  /** What the rate limit is shared by: the credential (Sumo Logic limits per user). */
  rateLimitKey: string;
}

const IDEMPOTENT = /^(?:GET|HEAD|OPTIONS|PUT|DELETE)$/;
const DEFAULT_RETRY: Required<RetryOptions> = { retries: 3, baseDelayMs: 250, maxDelayMs: 10_000, retryOn: [429, 502, 503, 504], retryNonIdempotent: false };
const DEFAULT_RATE_LIMIT: Required<RateLimitOptions> = { requestsPerSecond: 4, burst: 1 };

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
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
export function rateLimiter(rate: number, burst: number): (signal: AbortSignal | undefined) => Promise<void> | undefined {
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

// One schedule per credential and limit: clients of one process that share a credential share
// the limit the server applies to it. Keyed by a hash of the credential, so the map holds no secret
// after its clients are gone (a collision would only make two credentials share a schedule).
const limiters = new Map<string, ReturnType<typeof rateLimiter>>();

/** FNV-1a, 32 bits, as hex: enough to tell a process's few credentials apart. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16);
}

/**
 * The connection was closed before any answer (undici: "other side closed", a reset, a broken
 * pipe): what a pooled keep-alive connection closed by the server as it is reused looks like.
 */
function closedBeforeAnswer(error: unknown): boolean {
  const code = ((error as { cause?: { code?: unknown } })?.cause?.code ?? '') as string;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

/**
 * Whether a fetch failed because of the network: the Fetch standard rejects with a TypeError then
 * (undici puts the system error in `cause`, Bun a `code` on the error itself). A runtime refusing
 * the call itself also throws a TypeError, named by its message: a fetch given the wrong `this`.
 */
function networkFailure(error: unknown): boolean {
  if (!(error instanceof Error) || WRONG_RECEIVER.test(error.message)) return false;
  return error instanceof TypeError || typeof (error as { code?: unknown }).code === 'string';
}
// Chromium and workerd: "Illegal invocation"; Firefox: "… does not implement interface Window"; Safari: "Can only call Window.fetch on instances of Window".
const WRONG_RECEIVER = /illegal invocation|does not implement interface|can only call/i;

// undici copies (tees) a request body to be able to send it again on a redirect or an
// authentication challenge, and holds the whole copy in memory: a 256 MiB upload grew the process
// by 256 MiB (bench/). Requests with a body therefore do not follow redirects.
// workerd refuses redirect 'error' ("does not make sense at the edge"): where a Request cannot be
// made with it, bodies go with the runtime's defaults. Asked once, on first use.
let bodySentOnce: RequestInit | undefined | null = null;
function bodyInit(): RequestInit | undefined {
  if (bodySentOnce === null) {
    bodySentOnce = { redirect: 'error', window: null };
    try {
      new Request('http://127.0.0.1/', bodySentOnce);
    } catch {
      bodySentOnce = undefined;
    }
  }
  return bodySentOnce;
}

const timeoutReason = () => new DOMException('the attempt timed out', 'TimeoutError');

/** Sends a request through the rate limit, with a deadline per attempt and retries; records the attempts in `call`. */
export function createTransport(options: TransportOptions): (request: Request, call: CallState) => Promise<Response> {
  const retry = options.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...options.retry };
  const limit = options.rateLimit && { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
  let take: ReturnType<typeof rateLimiter> | undefined;
  if (limit) {
    const key = `${limit.requestsPerSecond}/${limit.burst} ${fingerprint(options.rateLimitKey)}`;
    take = limiters.get(key) ?? limiters.set(key, rateLimiter(limit.requestsPerSecond, limit.burst)).get(key);
  }
  const backoff = (attempt: number) => Math.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  const timeoutMs = options.timeoutMs;

  return async function send(request, call) {
    // Waits (rate limit, backoff) end early only for the caller; deadlines are per attempt.
    const signal = call.signal;
    const idempotent = IDEMPOTENT.test(request.method);
    const mayRetry = idempotent || retry.retryNonIdempotent;
    let resendNow = false;
    for (let attempt = 1; ; attempt++) {
      call.attempts = attempt;
      const canRetry = mayRetry && attempt <= retry.retries;
      if (!resendNow) {
        const wait = take?.(signal);
        if (wait) await wait;
      }
      // A body can be sent once: keep the original for the next attempt when there may be one.
      const canResend = canRetry || (idempotent && attempt === 1);
      const sent = canResend && request.body !== null ? request.clone() : request;
      let deadline: AbortController | undefined;
      let response: Response;
      try {
        let init = sent.body === null ? undefined : bodyInit();
        if (timeoutMs !== false) {
          deadline = attempt === 1 && call.deadline ? call.deadline : new AbortController();
          const controller = deadline;
          if (controller !== call.deadline) init = { ...init, signal: deadlineSignal(controller, call.signal) };
          call.timer = setTimeout(() => controller.abort(timeoutReason()), timeoutMs);
          // A stream handed to the caller keeps its deadline; it must not keep the process alive.
          (call.timer as { unref?: () => void }).unref?.();
        }
        // Called as a plain function: a browser's or workerd's fetch refuses any other `this` ("Illegal invocation").
        const fetchOnce = call.fetch;
        response = await fetchOnce(sent, init);
      } catch (error) {
        clearTimeout(call.timer);
        if (signal?.aborted) throw signal.reason;
        // Only the network is worth another attempt; anything else fails the same way every time.
        if (!deadline?.signal.aborted && !networkFailure(error)) throw error;
        // As browsers do: a connection closed under an idempotent request gets one immediate re-send
        // on a fresh connection. It counts as an attempt; it needs no backoff and no new slot.
        resendNow = idempotent && attempt === 1 && closedBeforeAnswer(error);
        if (resendNow) continue;
        if (!canRetry) {
          if (deadline?.signal.aborted) throw new CloudSoarTimeoutError(call.operation(), timeoutMs as number, attempt);
          const hint = closedBeforeAnswer(error) && !idempotent ? ` (connection closed before an answer; ${request.method} is not re-sent, it may not be idempotent)` : '';
          throw new CloudSoarNetworkError(call.operation(), attempt, error, hint);
        }
        await abortableSleep(backoff(attempt), signal);
        continue;
      }
      resendNow = false;
      call.answer = response;
      if (canRetry && retry.retryOn.includes(response.status)) {
        const asked = retryAfterMs(response.headers.get('retry-after'));
        // Longer than we may wait: the caller decides.
        if (asked !== undefined && asked > retry.maxDelayMs) return response;
        clearTimeout(call.timer);
        await response.body?.cancel();
        await abortableSleep(asked ?? backoff(attempt), signal);
        continue;
      }
      return response;
    }
  };
}
