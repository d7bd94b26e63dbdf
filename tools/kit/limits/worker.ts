// A worker process of the shared-limit tests and bench. It says "ready", then for each line of
// JSON on stdin (a Scenario) sends `count` GETs at once on the credential, through the Redis store
// when `redisUrl` is given, and answers one line of JSON (a WorkerResult). It exits when stdin ends.
// Long-lived, so one start-up (tsx, ioredis) serves several scenarios.
// Run with: node --import tsx tools/kit/limits/worker.ts
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { createCloudSoarClient, type RateLimitOptions, withUnknownFields } from '../../../src/index.js';
import { createRedisLimitStore } from '../../../src/redis.js';

export interface Scenario {
  worker: number;
  baseUrl: string;
  token: string;
  count: number;
  requestsPerSecond: number;
  maxConcurrent?: number;
  delayMs?: number;
  redisUrl?: string;
  retryStoreAfterMs?: number;
  /** Generous by default: a loaded test machine must not look like a failing store. */
  commandTimeoutMs?: number;
}

export interface WorkerResult {
  statuses: (number | string)[];
  seconds: number;
  warnings: string[];
  unhandled: string[];
}

const unhandled: string[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(String(reason)));

async function run(scenario: Scenario): Promise<WorkerResult> {
  const warnings: string[] = [];
  let redis: Redis | undefined;
  const rateLimit: RateLimitOptions = {
    requestsPerSecond: scenario.requestsPerSecond,
    maxConcurrent: scenario.maxConcurrent ?? 10,
  };
  if (scenario.redisUrl) {
    // Fail queued commands soon while reconnecting; the store falls back on its own timeout anyway.
    redis = new Redis(scenario.redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
    redis.on('error', () => {}); // the store reports failures itself, once per outage
    rateLimit.store = createRedisLimitStore({
      redis,
      retryStoreAfterMs: scenario.retryStoreAfterMs ?? 5_000,
      commandTimeoutMs: scenario.commandTimeoutMs ?? 5_000,
      log: (message) => warnings.push(message),
    });
  }
  const client = createCloudSoarClient({ baseUrl: scenario.baseUrl, token: scenario.token, rateLimit });
  // Connected before the clock starts, as a long-running worker's client would be.
  await redis?.ping();
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: scenario.count }, (_, i) =>
      client
        .GET('/incidents/{id}/', {
          // The stand-in server's own query (request id, delay), not the API's: past the argument guard on purpose.
          params: {
            path: { id: 8508 },
            query: withUnknownFields({ n: `${scenario.worker}-${i}`, delay: scenario.delayMs ?? 0 }) as never,
          },
        })
        .then(
          ({ response }) => response.status,
          (error: Error) => `${error.name}: ${error.message}`,
        ),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  // quit, not disconnect: the last lanes' releases are still on the wire. Redis may be gone (killed).
  if (redis) await Promise.race([redis.quit().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1_000))]);
  redis?.disconnect();
  // A rejection reported late (after the run) still counts: give it a turn to arrive.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { statuses, seconds, warnings, unhandled: unhandled.splice(0) };
}

process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim()) process.stdout.write(`${JSON.stringify(await run(JSON.parse(line) as Scenario))}\n`);
}
