#!/usr/bin/env node
// `npm run bench`: what the client costs. Not part of `npm test` (timings vary with the machine).
// 1. Per-request overhead against plain fetch on the same loopback server (bench/overhead.mjs),
//    in several fresh processes; the median over processes of each one's median ratio.
// 2. Size of the core entry and of the helpers entry, minified and gzipped, without and with the
//    lazily loaded chunks.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleEntry, CORE_BUDGET_BYTES } from '../scripts/lib/bundle.mjs';
import { root } from '../scripts/lib/tools.mjs';
import { median } from './median.mjs';

const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 7);

const runs = [];
for (let i = 0; i < PROCESSES; i++) {
  const output = execFileSync(process.execPath, ['--import', './scripts/lib/register-ts.mjs', 'bench/overhead.mjs'], { cwd: root, encoding: 'utf8', env: process.env });
  runs.push(JSON.parse(output));
  process.stderr.write(`overhead: process ${i + 1}/${PROCESSES} done\n`);
}
const round3 = (value) => Number(value.toFixed(3));
const overhead = Object.keys(runs[0].variants).map((key) => {
  const of = (field) => runs.map((run) => run.variants[key][field]);
  const ratios = of('ratioToFetch');
  return {
    key,
    variant: runs[0].variants[key].variant,
    medianMsPerRequest: Number(median(of('msPerRequest')).toFixed(4)),
    medianRatioToFetch: round3(median(ratios)),
    ratioRangeOverProcesses: [round3(Math.min(...ratios)), round3(Math.max(...ratios))],
    ...(key === 'withTimeout' ? { medianRatioToFetchWithTimeout: round3(median(of('ratioToFetchWithTimeout'))) } : {}),
  };
});

// Sizes: each entry bundled on its own, as an application importing only it would bundle it
// (scripts/lib/bundle.mjs); once with the dependencies external, once bundled.
const ENTRIES = { core: 'index.ts', helpers: 'helpers.ts' };
async function bundleSizes(external) {
  const sizes = {};
  for (const [name, file] of Object.entries(ENTRIES)) {
    const { gzipBytes, withLazyChunksGzipBytes } = await bundleEntry(file, { external });
    sizes[name] = { gzipBytes, withLazyChunksGzipBytes };
  }
  return sizes;
}
const size = { dependenciesBundled: await bundleSizes(false), dependenciesExternal: await bundleSizes(true) };

// The goals of the client's issue: overhead ≤ 1.10 with features off and with auth + retry +
// limiter configured; the core entry's own code within CORE_BUDGET_BYTES (the bundle test holds it).
const byKey = Object.fromEntries(overhead.map((row) => [row.key, row]));
const targets = {
  overheadFeaturesOff: { goal: '≤ 1.10', value: byKey.bare.medianRatioToFetch, met: byKey.bare.medianRatioToFetch <= 1.1 },
  overheadConfigured: { goal: '≤ 1.10', value: byKey.configured.medianRatioToFetch, met: byKey.configured.medianRatioToFetch <= 1.1 },
  coreEntryOwnCodeGzipBytes: { goal: `≤ ${CORE_BUDGET_BYTES}`, value: size.dependenciesExternal.core.gzipBytes, met: size.dependenciesExternal.core.gzipBytes <= CORE_BUDGET_BYTES },
};

const results = {
  date: new Date().toISOString(),
  node: process.version,
  processes: PROCESSES,
  roundsPerProcess: runs[0].rounds,
  requestsPerRound: runs[0].requestsPerRound,
  overhead,
  size,
  targets,
};
await writeFile(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('| variant | median ms/request | median ratio to fetch | range over processes | to fetch with a timeout |\n|---|---|---|---|---|');
for (const row of overhead) {
  console.log(`| ${row.variant} | ${row.medianMsPerRequest} | ${row.medianRatioToFetch} | ${row.ratioRangeOverProcesses.join('–')} | ${row.medianRatioToFetchWithTimeout ?? ''} |`);
}
const bytes = (count) => `${count.toLocaleString('en')} B`;
console.log('\n| entry, minified + gzipped | core (`cloudsoar-v3`) | core + lazy chunks (XML, middleware) | `cloudsoar-v3/helpers` |\n|---|---|---|---|');
for (const [label, key] of [["this package's own code (dependencies external)", 'dependenciesExternal'], ['with openapi-fetch and fast-xml-parser bundled', 'dependenciesBundled']]) {
  const sizes = size[key];
  console.log(`| ${label} | ${bytes(sizes.core.gzipBytes)} | ${bytes(sizes.core.withLazyChunksGzipBytes)} | ${bytes(sizes.helpers.gzipBytes)} |`);
}
console.log('');
for (const [name, target] of Object.entries(targets)) console.log(`${target.met ? 'met' : 'NOT MET'}: ${name} ${target.value} (goal ${target.goal})`);
