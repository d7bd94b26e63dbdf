/// <reference types="node" />
// `cloudsoar-v3/redis` (Node only): keeps a credential's limits in Redis or Valkey, so every process
// and machine using the credential shares them: the rate schedule (first come, first served across
// workers), the lanes (leases with a time to live, renewed while held, so a crashed worker's lanes
// come back) and the server's pause (one worker's Retry-After pauses all). Each step is one atomic
// Lua script, one round trip. Keys hold a SHA-256 of the credential, never the credential.
// When the store fails, the process falls back to its own limits (see `createRedisLimitStore`).
import { createHash, randomUUID } from 'node:crypto';
import { abortableSleep, type Lease, type Limiter, type LimitSettings, type LimitStore } from './limits.js';

/**
 * What the store needs of a Redis client: ioredis's `Redis` or `Cluster` (the keys of one
 * credential share a hash slot). The store never connects or closes it.
 */
export interface RedisScriptClient {
  evalsha(sha: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

export interface RedisLimitStoreOptions {
  /** An ioredis client, e.g. `new Redis(process.env.REDIS_URL)`. */
  redis: RedisScriptClient;
  /** Key prefix; default `cloudsoar-v3`. */
  prefix?: string;
  /** A lane not renewed for this long is given back (its worker died); renewed every third of it. Default 15 000 ms. */
  leaseTtlMs?: number;
  /** A store command that takes longer counts as a failure; default 1 000 ms. */
  commandTimeoutMs?: number;
  /** After a failure, requests use this process's limits for this long before the store is tried again; default 5 000 ms. */
  retryStoreAfterMs?: number;
  /** How often a request waiting for a lane asks again; default 50 ms (with jitter). */
  pollMs?: number;
  /** Told when the store fails (once per outage) and when it answers again; default `console.warn`. */
  log?: (message: string) => void;
}

// Keys: {p}:lanes (zset lease → expiry), {p}:queue (zset waiter → ticket), {p}:seen (zset waiter →
// expiry), {p}:ticket (counter), {p}:next (rate schedule), {p}:pause (paused until). Times are the
// Redis server's own clock (TIME), so machines with skewed clocks agree.
const PRELUDE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function reserve(interval, burst, keep)
  local nextAt = math.max(tonumber(redis.call('GET', KEYS[5]) or '0'), now)
  local slot = math.max(nextAt - (burst - 1) * interval, tonumber(redis.call('GET', KEYS[6]) or '0'))
  nextAt = math.max(nextAt, slot) + interval
  redis.call('SET', KEYS[5], string.format('%.3f', nextAt), 'PX', math.ceil(nextAt - now + keep))
  return math.max(0, math.ceil(slot - now))
end
`;

/**
 * ARGV: lease id, lanes, lease ttl, interval, burst, waiter ttl. Returns -1 to wait for a lane, or
 * the lane is taken and the result is the wait for the rate slot in ms. Waiters are served in
 * ticket order; a waiter that stops asking (its process died) leaves the queue after its ttl.
 */
const ACQUIRE = `${PRELUDE}
local id, lanes, ttl, keep = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)) do redis.call('ZREM', KEYS[2], gone) end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if not redis.call('ZSCORE', KEYS[2], id) then redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), id) end
if redis.call('ZRANK', KEYS[2], id) >= lanes - redis.call('ZCARD', KEYS[1]) then
  redis.call('ZADD', KEYS[3], now + keep, id)
  for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], keep + ttl) end
  return -1
end
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
redis.call('ZADD', KEYS[1], now + ttl, id)
redis.call('PEXPIRE', KEYS[1], ttl)
return reserve(tonumber(ARGV[4]), tonumber(ARGV[5]), ttl)
`;

/** After waiting for a slot: 0 to go, or a new slot when a pause began meanwhile. ARGV: interval, burst, keep. */
const RECHECK = `${PRELUDE}
if tonumber(redis.call('GET', KEYS[6]) or '0') > now then return reserve(tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])) end
return 0
`;

/** ARGV: pause ms. */
const PAUSE = `${PRELUDE}
local untilAt = now + tonumber(ARGV[1])
if untilAt > tonumber(redis.call('GET', KEYS[6]) or '0') then redis.call('SET', KEYS[6], string.format('%.3f', untilAt), 'PX', math.ceil(tonumber(ARGV[1])) + 1000) end
return 0
`;

/** ARGV: 'renew' or 'release', lease ttl, lease ids. Renewal touches only lanes still held. */
const LEASES = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
for i = 3, #ARGV do
  if ARGV[1] == 'release' then redis.call('ZREM', KEYS[1], ARGV[i]) else redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[i]) end
end
if ARGV[1] == 'renew' then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
return 0
`;

/** A store command that failed or was too slow. */
class StoreFailure extends Error {
  override readonly name = 'StoreFailure';
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/**
 * Limits shared through Redis: pass it as `rateLimit: { store }` to every client on the credential,
 * in every process. When the store fails (down, slower than `commandTimeoutMs`, connection lost), a
 * request uses this process's limits instead, with one warning per outage; the store is tried again
 * after `retryStoreAfterMs` (the client reconnects by itself). A lane taken in the store before the
 * failure runs out after `leaseTtlMs`. No request is dropped or sent twice because of the store.
 */
export function createRedisLimitStore(options: RedisLimitStoreOptions): LimitStore {
  const {
    redis,
    prefix = 'cloudsoar-v3',
    leaseTtlMs = 15_000,
    commandTimeoutMs = 1_000,
    retryStoreAfterMs = 5_000,
    pollMs = 50,
  } = options;
  const log = options.log ?? ((message: string) => console.warn(message));
  const scripts = new Map([ACQUIRE, RECHECK, PAUSE, LEASES].map((script) => [script, sha1(script)]));
  let downUntil = 0;
  let down = false;

  async function run(script: string, keys: string[], args: (string | number)[]): Promise<number> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const evaluated = redis.evalsha(scripts.get(script)!, keys.length, ...keys, ...args).catch((error: unknown) => {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return redis.eval(script, keys.length, ...keys, ...args);
    });
    // Given up on below: a late failure must not become an unhandled rejection.
    evaluated.catch(() => {});
    try {
      const result = await Promise.race([
        evaluated,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new StoreFailure(`no answer within ${commandTimeoutMs} ms`)),
            commandTimeoutMs,
          );
        }),
      ]);
      if (down) {
        down = false;
        log('cloudsoar-v3/redis: the limit store answers again; limits are shared again');
      }
      return Number(result);
    } catch (error) {
      downUntil = performance.now() + retryStoreAfterMs;
      if (!down) {
        down = true;
        log(
          `cloudsoar-v3/redis: the limit store failed (${(error as Error)?.message ?? String(error)}); limiting in this process only, trying the store again every ${retryStoreAfterMs} ms`,
        );
      }
      throw new StoreFailure('store unavailable', { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
  const storeUsable = () => !down || performance.now() >= downUntil;

  return {
    limiterFor(credential: string, settings: LimitSettings, local: Limiter): Limiter {
      const tag = createHash('sha256').update(`cloudsoar-v3 limits\0${credential}`).digest('hex').slice(0, 32);
      const key = (name: string) => `${prefix}:{${tag}}:${name}`;
      const keys = ['lanes', 'queue', 'seen', 'ticket', 'next', 'pause'].map(key);
      const interval = 1000 / settings.requestsPerSecond;
      const lanes = Number.isFinite(settings.maxConcurrent) ? settings.maxConcurrent : 1e9;
      const waiterTtlMs = Math.max(2_000, pollMs * 20);
      const held = new Set<string>();
      let renewal: ReturnType<typeof setInterval> | undefined;
      // Waiters of this process ask again as soon as a lane of this process is given back (waiters
      // elsewhere find it at their next poll).
      const wakers = new Set<() => void>();
      const pollPause = (signal: AbortSignal | undefined) =>
        new Promise<void>((resolve, reject) => {
          if (signal?.aborted) return reject(signal.reason);
          const settle = () => {
            clearTimeout(timer);
            wakers.delete(wake);
            signal?.removeEventListener('abort', onAbort);
          };
          const wake = () => {
            settle();
            resolve();
          };
          const onAbort = () => {
            settle();
            reject(signal!.reason);
          };
          const timer = setTimeout(wake, pollMs * (0.5 + Math.random()));
          wakers.add(wake);
          signal?.addEventListener('abort', onAbort, { once: true });
        });

      const leases = (action: 'renew' | 'release', ids: string[]) =>
        run(LEASES, [keys[0]!], [action, leaseTtlMs, ...ids]);
      function holdLease(id: string): Lease {
        held.add(id);
        renewal ??= setInterval(() => void leases('renew', [...held]).catch(() => {}), leaseTtlMs / 3);
        (renewal as { unref?: () => void }).unref?.();
        return {
          release() {
            if (!held.delete(id)) return;
            if (held.size === 0) renewal = void clearInterval(renewal);
            // Best effort: a lane not given back runs out after leaseTtlMs.
            void leases('release', [id]).then(
              () => {
                for (const wake of [...wakers]) wake();
              },
              () => {},
            );
          },
        };
      }

      async function acquireShared(signal: AbortSignal | undefined): Promise<Lease> {
        const id = randomUUID();
        let wait: number;
        for (;;) {
          wait = await run(ACQUIRE, keys, [id, lanes, leaseTtlMs, interval, settings.burst, waiterTtlMs]);
          if (wait >= 0) break;
          // The ticket stays in the queue if we give up here; it leaves after waiterTtlMs.
          await pollPause(signal);
        }
        const lease = holdLease(id);
        try {
          while (wait > 0) {
            await abortableSleep(wait, signal);
            wait = await run(RECHECK, keys, [interval, settings.burst, leaseTtlMs]);
          }
          return lease;
        } catch (error) {
          lease.release();
          throw error;
        }
      }

      return {
        async acquire(signal) {
          if (storeUsable()) {
            try {
              return await acquireShared(signal);
            } catch (error) {
              if (!(error instanceof StoreFailure)) throw error;
            }
          }
          return local.acquire(signal);
        },
        coolDown(ms) {
          local.coolDown(ms);
          if (storeUsable()) void run(PAUSE, keys, [Math.ceil(ms)]).catch(() => {});
        },
      };
    },
  };
}
