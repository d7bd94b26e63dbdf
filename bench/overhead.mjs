// One process's measurement of the client's per-request cost against plain fetch on the same
// loopback server: interleaved rounds in random order, median of per-round ratios.
// Prints JSON; bench/run.mjs runs it in several fresh processes, because JIT and GC state differ
// from one process to the next by more than the differences measured here.
import { createServer } from 'node:http';
import { createCloudSoarClient } from '../src/index.ts';
import { median } from './median.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const BODY = JSON.stringify({ id: 8508, incidentid: { name: 'Incident ID', value: 'INSIGHT-26022' } });

const server = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(BODY) });
  response.end(BODY);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${server.address().port}`;
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.e30.c2ln';
const HEADERS = { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' };

const VARIANTS = {
  fetch: 'plain fetch',
  fetchWithTimeout: 'plain fetch with a 30 s timeout (AbortController)',
  bare: 'client, features off (no retry, limiter, timeout)',
  configured: 'client, auth + retry + rate limiter (not triggered)',
  withTimeout: 'client, as above + the default 30 s timeout',
};

const plain = async () => (await fetch(`${baseUrl}/incidents/8508/`, { headers: HEADERS })).json();
// What any per-request timeout costs on fetch: an AbortSignal, which undici tracks per request.
const plainWithTimeout = async () => {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    return await (await fetch(`${baseUrl}/incidents/8508/`, { headers: HEADERS, signal: controller.signal })).json();
  } finally {
    clearTimeout(timer);
  }
};
const get = (options) => {
  const client = createCloudSoarClient({ baseUrl, token: TOKEN, ...options });
  return () => client.GET('/incidents/{id}/', { params: { path: { id: 8508 } } });
};
const unlimited = { requestsPerSecond: 1e9, burst: 1e9 };
const work = {
  fetch: plain,
  fetchWithTimeout: plainWithTimeout,
  bare: get({ retry: false, rateLimit: false, timeoutMs: false }),
  configured: get({ retry: { retries: 3 }, rateLimit: unlimited, timeoutMs: false }),
  withTimeout: get({ retry: { retries: 3 }, rateLimit: unlimited }),
};

async function time(run) {
  const start = performance.now();
  for (let i = 0; i < REQUESTS; i++) await run();
  return (performance.now() - start) / REQUESTS;
}

const names = Object.keys(work);
for (const name of names) await time(work[name]); // warm-up
const perRound = Object.fromEntries(names.map((name) => [name, []]));
// A fresh random order each round: a fixed rotation lets each variant always follow the same
// other one, and what ran just before measurably changes the next variant's time.
const shuffled = (list) => {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
};
for (let round = 0; round < ROUNDS; round++) {
  for (const name of shuffled(names)) perRound[name].push(await time(work[name]));
}
server.close();
const ratio = (name, baseline) => median(perRound[name].map((ms, round) => ms / perRound[baseline][round]));
const result = Object.fromEntries(
  names.map((name) => [name, { variant: VARIANTS[name], msPerRequest: median(perRound[name]), ratioToFetch: ratio(name, 'fetch'), ratioToFetchWithTimeout: ratio(name, 'fetchWithTimeout') }]),
);
process.stdout.write(JSON.stringify({ rounds: ROUNDS, requestsPerRound: REQUESTS, variants: result }));
