// Several worker processes, one credential, one real redis-server: the shared store holds the rate,
// the lanes and the server's pause across processes, and a Redis killed mid-run costs no request.
// Scaled to stay cheap (a few seconds of traffic at higher limits, set on both sides); the full-size
// numbers are bench rows (npm run bench -- shared). No timings are asserted, only counts.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localLimiter } from '../../src/limits.js';
import { createRedisLimitStore } from '../../src/redis.js';
import { type LimitServer, startLimitServer } from '../../tools/kit/limits/server.js';
import { startWorkers, type WorkerResult, type Workers } from '../../tools/kit/limits/workers.js';
import { type RedisServer, startRedisServer } from '../../tools/kit/redis-server.js';

const TOKEN = 'shared-limits-s3cret-token';
let scenarios = 0;
/** A credential per scenario, so no limiter state carries over from one to the next. */
const freshToken = () => `${TOKEN}-${++scenarios}`;

const statusesOf = (results: WorkerResult[]) => results.flatMap((result) => result.statuses);
/** Server-side: request ids answered 200 more than once (a request sent twice). */
const duplicates = (server: LimitServer) => {
  const ok = server.requests.filter((request) => request.status === 200).map((request) => request.id);
  return ok.filter((id, i) => ok.indexOf(id) !== i);
};

let redis: RedisServer;
let workers: Workers;
let exitCodes: Promise<(number | null)[]> | undefined;
beforeAll(async () => {
  [redis, workers] = await Promise.all([startRedisServer(), startWorkers(3)]);
});
afterAll(async () => {
  exitCodes ??= workers?.stop();
  await Promise.all([redis?.stop(), exitCodes]);
});

/** Every worker sends its GETs on a fresh credential through the shared store. */
const throughTheStore = (
  server: LimitServer,
  scenario: { requestsPerSecond: number; count: number; delayMs?: number },
) => workers.run({ baseUrl: server.url, token: freshToken(), redisUrl: redis.url, ...scenario });
/** The requests the server refused with 429. */
const throttled = (server: LimitServer) => server.requests.filter((request) => request.status === 429);

describe('the shared store, three worker processes on one credential', () => {
  it('holds the rate across processes: no 429 (scaled: 20/s on both sides, 36 GETs)', async () => {
    const server = await startLimitServer({ rate: 20, concurrent: 10 });
    try {
      const results = await throughTheStore(server, { requestsPerSecond: 20, count: 12 });
      expect(statusesOf(results)).toEqual(Array(36).fill(200));
      expect(throttled(server)).toEqual([]);
      expect(duplicates(server)).toEqual([]);
      expect(results.flatMap((result) => [...result.warnings, ...result.unhandled])).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('matters: without it, the same workers get 429s', async () => {
    const server = await startLimitServer({ rate: 20, concurrent: 10 });
    try {
      await workers.run({ baseUrl: server.url, token: freshToken(), requestsPerSecond: 20, count: 12 });
      expect(throttled(server).length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('holds the lanes across processes: never more than 10 in flight, no 429 (24 GETs of 300 ms)', async () => {
    const server = await startLimitServer({ rate: 1000, concurrent: 10 });
    try {
      const results = await throughTheStore(server, { requestsPerSecond: 1000, count: 8, delayMs: 300 });
      expect(statusesOf(results)).toEqual(Array(24).fill(200));
      expect(throttled(server)).toEqual([]);
      expect(server.maxInFlight).toBeLessThanOrEqual(10);
    } finally {
      await server.close();
    }
  });

  it("shares the server's pause: after one worker's 429 with Retry-After, no worker sends until it ends", async () => {
    const server = await startLimitServer({ rate: 20, concurrent: 10, pauseAfter: 6, pauseSeconds: 2 });
    try {
      const results = await throughTheStore(server, { requestsPerSecond: 20, count: 8 });
      expect(statusesOf(results)).toEqual(Array(24).fill(200));
      const pausedAt = server.pausedAt!;
      expect(pausedAt).toBeDefined();
      // Requests already on their way when the 429 was answered may still arrive just after it.
      expect(server.requests.filter((request) => request.at > pausedAt + 700 && request.at < pausedAt + 1_700)).toEqual(
        [],
      );
      expect(server.requests.filter((request) => request.status === 429).map((request) => request.reason)).toEqual([
        'pause',
      ]);
    } finally {
      await server.close();
    }
  });

  it('survives redis-server killed mid-run: every request answered once, one warning per worker, no unhandled rejection, no hang', async () => {
    const server = await startLimitServer({ rate: 1000, concurrent: 100 });
    const doomed = await startRedisServer();
    try {
      // Mid-run by count, not by clock: a quarter of the requests answered (a timer could fire before the
      // first request or after the last on a loaded machine).
      const running = workers.run({
        baseUrl: server.url,
        token: freshToken(),
        redisUrl: doomed.url,
        requestsPerSecond: 30,
        count: 20,
        retryStoreAfterMs: 500,
      });
      await vi.waitFor(() => expect(server.requests.length).toBeGreaterThanOrEqual(15), {
        timeout: 120_000,
        interval: 5,
      });
      await doomed.kill();
      const results = await running;
      expect(statusesOf(results)).toEqual(Array(60).fill(200));
      expect(server.requests).toHaveLength(60);
      expect(duplicates(server)).toEqual([]);
      for (const result of results) {
        expect(result.unhandled).toEqual([]);
        expect(result.warnings).toEqual([
          expect.stringMatching(/^cloudsoar-v3\/redis: the limit store failed \(.*\); limiting in this process only/),
        ]);
        expect(result.warnings.join('\n')).not.toContain(TOKEN);
      }
      // No hang: with Redis gone for good, the workers still end when told to.
      exitCodes = workers.stop();
      expect(await exitCodes).toEqual([0, 0, 0]);
    } finally {
      await server.close();
      await doomed.stop();
    }
  }, 30_000);
});

describe('leases', () => {
  it('come back after their time to live when their worker dies (a lost connection stands in for the crash)', async () => {
    const settings = { requestsPerSecond: 1000, burst: 1, maxConcurrent: 1 };
    const crashed = new Redis(redis.url);
    const survivor = new Redis(redis.url);
    try {
      const store = (client: Redis) =>
        createRedisLimitStore({ redis: client, leaseTtlMs: 600, log: () => {} }).limiterFor(
          'lease-ttl credential',
          settings,
          localLimiter(settings),
        );
      await store(crashed).acquire(); // never released
      crashed.disconnect();
      const waiting = Promise.resolve(store(survivor).acquire());
      let granted = false;
      void waiting.then(() => (granted = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(granted).toBe(false); // the one lane is still leased
      (await waiting).release(); // ... until its lease ran out
      const keys = await survivor.keys('*');
      expect(keys.join(' ')).not.toContain('lease-ttl credential');
      expect(keys.every((key) => /^cloudsoar-v3:\{[0-9a-f]{32}\}:\w+$/.test(key))).toBe(true);
    } finally {
      crashed.disconnect();
      survivor.disconnect();
    }
  });
});
