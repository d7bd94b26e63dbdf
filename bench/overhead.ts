// Wrapper cost: one process's per-request time of the client against bare openapi-fetch
// `createClient` on the same loopback server, in interleaved rounds in random order, as the median
// of per-round ratios. Prints JSON; bench/run.ts runs it in several fresh processes, because JIT
// and GC state differ from one process to the next by more than the differences measured here.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import createClient from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { createCloudSoarClient } from '../src/index.js';
import { median } from './median.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);
const BODY = JSON.stringify({ id: 8508, incidentid: { name: 'Incident ID', value: 'INSIGHT-26022' } });

const server = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(BODY) });
  response.end(BODY);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.e30.c2ln';
const TIMEOUT_MS = 30_000;

type Variant =
  | 'openapiFetch'
  | 'openapiFetchControl'
  | 'openapiFetchWithTimeout'
  | 'clientFeaturesOff'
  | 'clientDefaults';
const VARIANTS: Record<Variant, string> = {
  openapiFetch: 'openapi-fetch createClient, bare',
  openapiFetchControl: 'openapi-fetch createClient, bare, a second identical client (the noise floor)',
  openapiFetchWithTimeout: 'openapi-fetch createClient + a 30 s AbortSignal.timeout per call',
  clientFeaturesOff: 'client: no retry, timeout or rate limit',
  clientDefaults: 'client: defaults (retry, 30 s timeout) without the rate limit',
};
const params = { path: { id: 8508 } };
const bare = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${TOKEN}` } });
const control = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${TOKEN}` } });
const off = createCloudSoarClient({ baseUrl, token: TOKEN, retry: false, rateLimit: false, timeoutMs: false });
const defaults = createCloudSoarClient({ baseUrl, token: TOKEN, rateLimit: false });
const work: Record<Variant, () => Promise<{ data?: { id?: unknown } }>> = {
  openapiFetch: () => bare.GET('/incidents/{id}/', { params }),
  openapiFetchControl: () => control.GET('/incidents/{id}/', { params }),
  openapiFetchWithTimeout: () => bare.GET('/incidents/{id}/', { params, signal: AbortSignal.timeout(TIMEOUT_MS) }),
  clientFeaturesOff: () => off.GET('/incidents/{id}/', { params }),
  clientDefaults: () => defaults.GET('/incidents/{id}/', { params }),
};

async function time(run: () => Promise<{ data?: { id?: unknown } }>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < REQUESTS; i++) if ((await run()).data?.id !== 8508) throw new Error('wrong answer');
  return (performance.now() - start) / REQUESTS;
}

const names = Object.keys(work) as Variant[];
for (const name of names) await time(work[name]); // warm-up
const perRound = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Variant, number[]>;
// A fresh random order each round: what ran just before measurably changes the next variant's time.
const shuffled = <T>(list: T[]): T[] => {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
};
for (let round = 0; round < ROUNDS; round++) {
  for (const name of shuffled(names)) perRound[name].push(await time(work[name]));
}
server.close();

// The client's own CPU per call, without the network: both clients on a fetch that answers at once.
// Far more precise than the loopback ratio, whose noise floor the control variant shows.
const answerAtOnce = async () => new Response(BODY, { headers: { 'Content-Type': 'application/json' } });
const stubbedBare = createClient<paths>({
  baseUrl,
  headers: { Authorization: `Bearer ${TOKEN}` },
  fetch: answerAtOnce,
});
const stubbedClient = createCloudSoarClient({
  baseUrl,
  token: TOKEN,
  retry: false,
  rateLimit: false,
  timeoutMs: false,
  fetch: answerAtOnce,
});
const stubbed = {
  openapiFetch: () => stubbedBare.GET('/incidents/{id}/', { params }),
  clientFeaturesOff: () => stubbedClient.GET('/incidents/{id}/', { params }),
};
const STUB_CALLS = 20_000;
const cpuRounds: Record<keyof typeof stubbed, number[]> = { openapiFetch: [], clientFeaturesOff: [] };
for (let round = 0; round < 7; round++) {
  for (const name of shuffled(Object.keys(stubbed) as (keyof typeof stubbed)[])) {
    const start = performance.now();
    for (let i = 0; i < STUB_CALLS; i++) await stubbed[name]();
    cpuRounds[name].push(((performance.now() - start) * 1000) / STUB_CALLS);
  }
}
const ratio = (name: Variant, baseline: Variant) =>
  median(perRound[name].map((ms, round) => ms / perRound[baseline][round]!));
export interface OverheadResult {
  rounds: number;
  requestsPerRound: number;
  variants: Record<Variant, { variant: string; msPerRequest: number; ratioToOpenapiFetch: number }>;
  clientDefaultsToOpenapiFetchWithTimeout: number;
  stubbedFetchMicrosPerCall: Record<'openapiFetch' | 'clientFeaturesOff', number>;
}
const result: OverheadResult = {
  rounds: ROUNDS,
  requestsPerRound: REQUESTS,
  variants: Object.fromEntries(
    names.map((name) => [
      name,
      {
        variant: VARIANTS[name],
        msPerRequest: median(perRound[name]),
        ratioToOpenapiFetch: ratio(name, 'openapiFetch'),
      },
    ]),
  ) as OverheadResult['variants'],
  clientDefaultsToOpenapiFetchWithTimeout: ratio('clientDefaults', 'openapiFetchWithTimeout'),
  stubbedFetchMicrosPerCall: {
    openapiFetch: median(cpuRounds.openapiFetch),
    clientFeaturesOff: median(cpuRounds.clientFeaturesOff),
  },
};
process.stdout.write(JSON.stringify(result));
