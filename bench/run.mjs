#!/usr/bin/env node
// `npm run bench`: what the client costs. Not part of `npm test` (timings vary with the machine).
// 1. Per-request overhead against plain fetch on the same loopback server, in one process,
//    interleaved rounds, median of per-round ratios.
// 2. Size of the client entry, minified and gzipped, without and with the lazily loaded XML module.
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { createCloudSoarClient } from '../src/index.ts';
import { root } from '../scripts/lib/tools.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const BODY = JSON.stringify({ id: 8508, incidentid: { name: 'Incident ID', value: 'INSIGHT-26022' } });

const server = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(BODY) });
  response.end(BODY);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${server.address().port}`;
const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.e30.c2ln';

const plain = async () => {
  const response = await fetch(`${baseUrl}/incidents/8508/`, { headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' } });
  return response.json();
};
const bare = createCloudSoarClient({ baseUrl, token: TOKEN, retry: false, rateLimit: false, timeoutMs: false });
const configured = createCloudSoarClient({ baseUrl, token: TOKEN, retry: { retries: 3 }, rateLimit: { requestsPerSecond: 1e9, burst: 1e9 }, timeoutMs: false });
const withTimeout = createCloudSoarClient({ baseUrl, token: TOKEN, retry: { retries: 3 }, rateLimit: { requestsPerSecond: 1e9, burst: 1e9 }, timeoutMs: 30_000 });
const get = (client) => () => client.GET('/incidents/{id}/', { params: { path: { id: 8508 } } });
const variants = {
  fetch: plain,
  'client, features off (no retry, limiter, timeout)': get(bare),
  'client, auth + retry + rate limiter (not triggered)': get(configured),
  'client, as above + 30 s timeout (the default)': get(withTimeout),
};

async function time(work) {
  const start = performance.now();
  for (let i = 0; i < REQUESTS; i++) await work();
  return (performance.now() - start) / REQUESTS;
}
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

for (const work of Object.values(variants)) await time(work); // warm-up
const perRound = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
const names = Object.keys(variants);
for (let round = 0; round < ROUNDS; round++) {
  const order = names.map((_, i) => names[(i + round) % names.length]); // rotate who goes first
  for (const name of order) perRound[name].push(await time(variants[name]));
}
server.close();

const overhead = names.map((name) => ({
  variant: name,
  medianMsPerRequest: Number(median(perRound[name]).toFixed(4)),
  medianRatioToFetch: Number(median(perRound[name].map((ms, round) => ms / perRound.fetch[round])).toFixed(3)),
}));

// Bundle sizes: esbuild, ESM, minified, code-split so the dynamic XML import becomes its own chunks;
// once with the dependencies (openapi-fetch, fast-xml-parser) bundled, once with them external.
async function bundleSizes(external) {
  const out = await mkdtemp(join(tmpdir(), 'cloudsoar-bench-'));
  try {
    const { metafile } = await build({ entryPoints: [join(root, 'src', 'index.ts')], bundle: true, splitting: true, format: 'esm', minify: true, platform: 'browser', outdir: out, metafile: true, logLevel: 'silent', ...(external ? { packages: 'external' } : {}) });
    const outputs = metafile.outputs;
    const entry = Object.keys(outputs).find((file) => outputs[file].entryPoint?.endsWith('src/index.ts'));
    const closure = (file, followDynamic, seen = new Set()) => {
      if (seen.has(file) || !outputs[file]) return seen;
      seen.add(file);
      for (const imported of outputs[file].imports) if (!imported.external && (imported.kind === 'import-statement' || (followDynamic && imported.kind === 'dynamic-import'))) closure(imported.path, followDynamic, seen);
      return seen;
    };
    const gz = async (files) => {
      let total = 0;
      for (const file of files) total += gzipSync(await readFile(file), { level: 9 }).length;
      return total;
    };
    return { entryGzipBytes: await gz(closure(entry, false)), withXmlGzipBytes: await gz(closure(entry, true)) };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
const size = { dependenciesBundled: await bundleSizes(false), dependenciesExternal: await bundleSizes(true) };

const results = { date: new Date().toISOString(), node: process.version, rounds: ROUNDS, requestsPerRound: REQUESTS, overhead, size };
await writeFile(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('| variant | median ms/request | median ratio to fetch |\n|---|---|---|');
for (const row of overhead) console.log(`| ${row.variant} | ${row.medianMsPerRequest} | ${row.medianRatioToFetch} |`);
const kB = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;
console.log('\n| entry, minified + gzipped | without XML | with the XML module |\n|---|---|---|');
console.log(`| dependencies bundled (openapi-fetch, fast-xml-parser) | ${kB(size.dependenciesBundled.entryGzipBytes)} | ${kB(size.dependenciesBundled.withXmlGzipBytes)} |`);
console.log(`| dependencies external (this package's own code) | ${kB(size.dependenciesExternal.entryGzipBytes)} | ${kB(size.dependenciesExternal.withXmlGzipBytes)} |`);
