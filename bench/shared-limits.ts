// Shared limits across processes (cloudsoar-v3/redis), against a loopback server that enforces
// limits per credential and answers 429 beyond (tools/kit/limits/server.ts), with a real
// redis-server on a free port:
// 1. rate: 4 worker processes × 60 GETs on one credential at the documented 4/s: 429s, time ÷ 60 s;
// 2. lanes: 3 processes × 10 requests that each take 2 s at the server, 10 lanes: most in flight
//    (counted by the server), 429s, time ÷ the ideal for 10 lanes (6 s). Rate 100/s on both sides
//    here: at 4/s, 2 s requests never fill 10 lanes (8 at most) and the rate alone would set the time;
//    this row is about the lanes;
// 3. the store's own cost: one process, acquire (one script round trip) and release, on loopback.
// Prints JSON. Run by bench/run.ts (`npm run bench -- shared` runs only these rows).
import { Redis } from 'ioredis';
import { localLimiter } from '../src/limits.js';
import { createRedisLimitStore } from '../src/redis.js';
import { startLimitServer } from '../tools/kit/limits/server.js';
import { startWorkers } from '../tools/kit/limits/workers.js';
import { startRedisServer } from '../tools/kit/redis-server.js';

export interface SharedLimitsResult {
  rate: { requests: number; succeeded: number; received429: number; timeVsIdeal: number } & Record<string, number>;
  lanes: {
    requests: number;
    succeeded: number;
    received429: number;
    maxInFlightAtServer: number;
    timeVsIdeal: number;
  } & Record<string, number>;
  storeCost: { msPerRequestShared: number; msPerRequestInProcess: number } & Record<string, number | string>;
}

const round3 = (value: number) => Number(value.toFixed(3));
/** The time of a run: the slowest worker's own, from its first call to its last answer (connected to Redis before, as a long-running worker is). */
const slowest = (results: { seconds: number }[]) => Math.max(...results.map((result) => result.seconds));
const log = (message: string) => process.stderr.write(`${message}\n`);
const redis = await startRedisServer();
try {
  log('shared limits: 4 processes × 60 GETs at 4/s through Redis (about a minute)');
  const rateServer = await startLimitServer({ rate: 4, concurrent: 10 });
  const four = await startWorkers(4);
  let started = performance.now();
  const rateResults = await four.run({
    baseUrl: rateServer.url,
    token: 'bench-shared-rate',
    redisUrl: redis.url,
    requestsPerSecond: 4,
    count: 60,
  });
  const rateWallSeconds = (performance.now() - started) / 1000;
  const rateSeconds = slowest(rateResults);
  await Promise.all([four.stop(), rateServer.close()]);
  const rateStatuses = rateResults.flatMap((result) => result.statuses);
  const rate = {
    processes: 4,
    requests: rateStatuses.length,
    succeeded: rateStatuses.filter((status) => status === 200).length,
    received429: rateServer.requests.filter((request) => request.status === 429).length,
    seconds: round3(rateSeconds),
    secondsIncludingDispatch: round3(rateWallSeconds),
    timeVsIdeal: round3(rateSeconds / 60),
  };

  log('shared limits: 3 processes × 10 requests of 2 s, 10 lanes, through Redis');
  const laneServer = await startLimitServer({ rate: 100, concurrent: 10 });
  const three = await startWorkers(3);
  started = performance.now();
  const laneResults = await three.run({
    baseUrl: laneServer.url,
    token: 'bench-shared-lanes',
    redisUrl: redis.url,
    requestsPerSecond: 100,
    count: 10,
    delayMs: 2_000,
  });
  const laneWallSeconds = (performance.now() - started) / 1000;
  const laneSeconds = slowest(laneResults);
  await Promise.all([three.stop(), laneServer.close()]);
  const laneStatuses = laneResults.flatMap((result) => result.statuses);
  const lanes = {
    processes: 3,
    requests: laneStatuses.length,
    succeeded: laneStatuses.filter((status) => status === 200).length,
    maxInFlightAtServer: laneServer.maxInFlight,
    received429: laneServer.requests.filter((request) => request.status === 429).length,
    seconds: round3(laneSeconds),
    secondsIncludingDispatch: round3(laneWallSeconds),
    idealSeconds: 6,
    timeVsIdeal: round3(laneSeconds / 6),
  };

  log('shared limits: the store’s own cost per request');
  const client = new Redis(redis.url);
  const settings = { requestsPerSecond: 1e6, burst: 1e6, maxConcurrent: 1e6 };
  const limiter = createRedisLimitStore({ redis: client }).limiterFor(
    'bench-store-cost',
    settings,
    localLimiter(settings),
  );
  const ROUNDS = 3_000;
  for (let i = 0; i < 200; i++) (await limiter.acquire()).release(); // warm-up
  started = performance.now();
  for (let i = 0; i < ROUNDS; i++) (await limiter.acquire()).release();
  const sharedMs = (performance.now() - started) / ROUNDS;
  const local = localLimiter(settings);
  started = performance.now();
  for (let i = 0; i < ROUNDS; i++) (await local.acquire()).release();
  const localMs = (performance.now() - started) / ROUNDS;
  client.disconnect();
  const storeCost = {
    rounds: ROUNDS,
    msPerRequestShared: Number(sharedMs.toFixed(4)),
    msPerRequestInProcess: Number(localMs.toFixed(4)),
    storeRoundTripsPerRequest:
      'one script to take a lane and a slot, one to give the lane back (not awaited); one more after a wait for a slot',
  };
  const result: SharedLimitsResult = { rate, lanes, storeCost };
  process.stdout.write(JSON.stringify(result));
} finally {
  await redis.stop();
}
