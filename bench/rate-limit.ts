// Rate-limit utilisation: a loopback server that allows each credential 4 requests per second (a
// token bucket of 4, refilled at 4/s) and answers 429 with Retry-After beyond that. One client
// sends 240 GETs at once; then three clients sharing one credential send 80 each, at once.
// Prints JSON. Run by bench/run.ts in its own process.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCloudSoarClient } from '../src/index.js';

const RATE = 4;
const TOTAL = Number(process.env.BENCH_RATE_REQUESTS ?? 240);
const buckets = new Map<string, { tokens: number; at: number; accepted: number[]; refused: number }>();
const server = createServer((request, response) => {
  const now = performance.now();
  const credential = request.headers.authorization ?? '';
  const bucket =
    buckets.get(credential) ??
    buckets.set(credential, { tokens: RATE, at: now, accepted: [], refused: 0 }).get(credential)!;
  bucket.tokens = Math.min(RATE, bucket.tokens + ((now - bucket.at) / 1000) * RATE);
  bucket.at = now;
  if (bucket.tokens < 1) {
    bucket.refused++;
    response.writeHead(429, {
      'Content-Type': 'application/json',
      'Retry-After': String(Math.ceil((1 - bucket.tokens) / RATE)),
    });
    response.end('{"error":"Too many requests"}');
    return;
  }
  bucket.tokens -= 1;
  bucket.accepted.push(now);
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end('{"id":8508}');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function run(token: string, clients: number) {
  const soars = Array.from({ length: clients }, () => createCloudSoarClient({ baseUrl, token }));
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: TOTAL }, (_, i) =>
      soars[i % clients]!.GET('/incidents/{id}/', { params: { path: { id: 8508 } } }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const { accepted, refused } = buckets.get(`Bearer ${token}`)!;
  const sustained = (accepted.length - 1) / ((accepted.at(-1)! - accepted[0]!) / 1000);
  return {
    clients,
    requests: TOTAL,
    succeeded: results.filter(({ response }) => response.status === 200).length,
    received429: refused,
    seconds: Number(seconds.toFixed(2)),
    sustainedPerSecond: Number(sustained.toFixed(3)),
    shareOfLimit: Number((sustained / RATE).toFixed(3)),
    timeVsIdeal: Number((seconds / (TOTAL / RATE)).toFixed(3)),
  };
}

const one = await run('credential-one', 1);
const three = await run('credential-shared', 3);
server.close();
export type RateLimitResult = {
  limitPerSecond: number;
  one: Awaited<ReturnType<typeof run>>;
  three: Awaited<ReturnType<typeof run>>;
};
const result: RateLimitResult = { limitPerSecond: RATE, one, three };
process.stdout.write(JSON.stringify(result));
