// Sumo Logic's two limits per credential (evidence S18): 4 requests per second and 10 requests at
// once; past either it answers 429. A limiter holds both for one credential: a lane (concurrency),
// then a slot in the rate schedule, and a shared pause when the server asks for one (Retry-After).
// This file is the in-process limiter, the default; `cloudsoar-v3/redis` shares the same limits
// between processes and machines and falls back to this one when its store fails.

/** Time as the limiter sees it; tests inject their own. */
export interface LimiterClock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A lane in the concurrency limit, given back once: when the answer's body is read, cancelled or garbage. */
export interface Lease {
  release(): void;
}

/** The limits of one credential, as used by the transport (the probe uses the same). */
export interface Limiter {
  /**
   * Waits for a lane, then for a slot in the rate schedule; resolves with the lane. Returns the
   * lease itself (nothing to await) when the request may go at once.
   */
  acquire(signal?: AbortSignal): Lease | Promise<Lease>;
  /** The server asked for a pause (429 with Retry-After): no request on this credential starts before `ms` from now. */
  coolDown(ms: number): void;
}

/** Limits of one credential, every field given. */
export interface LimitSettings {
  requestsPerSecond: number;
  burst: number;
  maxConcurrent: number;
}

/**
 * Where limits are kept when several processes share a credential: see `cloudsoar-v3/redis`. Given
 * the credential (to hash, never to store), the settings and this process's own limiter for that
 * credential (to fall back on), it returns the limiter the transport uses.
 */
export interface LimitStore {
  limiterFor(credential: string, settings: LimitSettings, local: Limiter): Limiter;
}

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

export const REAL_CLOCK: LimiterClock = { now: () => performance.now(), sleep: abortableSleep };

/**
 * The rate schedule (the generic cell rate algorithm, equivalent to a token bucket): `burst`
 * requests at once, then one per 1/rate s, in arrival order; a pause moves the schedule past its
 * end. `reserve` books the next slot and says how long to wait for it; a caller that gives up while
 * waiting keeps its slot, so nobody behind it waits longer than booked. `recheck`, after the wait:
 * 0 to go, or, when a pause began meanwhile, a new slot after it (so the booked slots do not all
 * go at once when the pause ends). The Redis store runs the same arithmetic in Lua.
 */
export function rateSchedule(requestsPerSecond: number, burst: number) {
  const interval = 1000 / requestsPerSecond;
  let next = 0; // when the next request would go if no burst were left
  let pausedUntil = -Infinity;
  const reserve = (now: number): number => {
    next = Math.max(next, now);
    const slot = Math.max(next - (burst - 1) * interval, pausedUntil);
    next = Math.max(next, slot) + interval;
    return slot - now;
  };
  return {
    reserve,
    recheck: (now: number): number => (pausedUntil > now ? reserve(now) : 0),
    pause: (now: number, ms: number): void => {
      pausedUntil = Math.max(pausedUntil, now + ms);
    },
  };
}

const NOTHING_HELD: Lease = { release() {} };

/**
 * The in-process limiter: lanes handed out first come, first served, then the rate schedule.
 * A lane is taken before the rate slot, so a request never holds a rate slot it cannot use.
 */
export function localLimiter(settings: LimitSettings, clock: LimiterClock = REAL_CLOCK): Limiter {
  const schedule = rateSchedule(settings.requestsPerSecond, settings.burst);
  const lanes = Number.isFinite(settings.maxConcurrent) ? settings.maxConcurrent : Infinity;
  let inFlight = 0;
  const waiting: Array<() => void> = [];

  const lease = (): Lease => {
    if (lanes === Infinity) return NOTHING_HELD;
    inFlight++;
    let held = true;
    return {
      release() {
        if (!held) return;
        held = false;
        inFlight--;
        waiting.shift()?.();
      },
    };
  };

  async function waitForSlot(lane: Lease, wait: number, signal: AbortSignal | undefined): Promise<Lease> {
    try {
      while (wait > 0) {
        await clock.sleep(wait, signal);
        wait = schedule.recheck(clock.now());
      }
      return lane;
    } catch (error) {
      lane.release();
      throw error;
    }
  }

  function withSlot(lane: Lease, signal: AbortSignal | undefined): Lease | Promise<Lease> {
    const wait = schedule.reserve(clock.now());
    return wait > 0 ? waitForSlot(lane, wait, signal) : lane;
  }

  return {
    acquire(signal) {
      if (inFlight < lanes && waiting.length === 0) return withSlot(lease(), signal);
      return new Promise<Lease>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          waiting.splice(waiting.indexOf(grant), 1);
          reject(signal!.reason);
        };
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          const lane = lease();
          Promise.resolve(withSlot(lane, signal)).then(resolve, reject);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.push(grant);
      });
    },
    coolDown(ms) {
      schedule.pause(clock.now(), ms);
    },
  };
}

// One limiter per credential and settings: clients of one process that share a credential share
// the limits the server applies to it. Keyed by a hash of the credential, so the map holds no secret
// after its clients are gone (a collision would only make two credentials share a limiter).
const localLimiters = new Map<string, Limiter>();

/** FNV-1a, 32 bits, as hex: enough to tell a process's few credentials apart. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16);
}

/** This process's limiter for a credential and settings, made once. */
export function sharedLocalLimiter(credential: string, settings: LimitSettings): Limiter {
  const key = `${settings.requestsPerSecond}/${settings.burst}/${settings.maxConcurrent} ${fingerprint(credential)}`;
  return localLimiters.get(key) ?? localLimiters.set(key, localLimiter(settings)).get(key)!;
}

/**
 * Lets a streamed body hold its lane until it is read to the end, cancelled, broken off or
 * garbage-collected, or until `deadline` aborts (the attempt's time is up: the body is dead).
 */
const unreadBodies = new FinalizationRegistry<Lease>((lease) => lease.release());

export function holdLaneWhileStreaming(response: Response, lease: Lease, deadline: AbortSignal | undefined): Response {
  const source = response.body;
  if (!source) {
    lease.release();
    return response;
  }
  const reader = source.getReader();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    deadline?.removeEventListener('abort', release);
    unreadBodies.unregister(token);
    lease.release();
  };
  const token = {};
  deadline?.addEventListener('abort', release, { once: true });
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            release();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          release();
          controller.error(error);
        }
      },
      async cancel(reason) {
        release();
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  const wrapped = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(wrapped, 'url', { value: response.url });
  unreadBodies.register(body, lease, token);
  return wrapped;
}
