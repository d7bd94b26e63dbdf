// `npm run bench`: what users of the client feel. Not part of `npm test` (it takes minutes and its
// timings depend on the machine). Writes bench/results.json and the table in README.md.
// 1. Rate-limit utilisation against a server enforcing 4 requests/s per credential (rate-limit.ts).
// 2. Peak RSS growth while streaming a 256 MiB download and upload, each in a fresh process (streaming.ts).
// 3. Per-request cost against bare openapi-fetch on one loopback server, in several fresh processes (overhead.ts).
// 4. Sizes of the entries, minified and gzipped (tools/kit/bundle.ts), reported without a budget.
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { bundleEntry } from '../tools/kit/bundle.js';
import { root } from '../tools/kit/repo.js';
import { median } from './median.js';
import type { OverheadResult } from './overhead.js';
import type { RateLimitResult } from './rate-limit.js';
import { measureStreaming } from './streaming.js';

// 15, not 7: with 7 the median of two identical clients still moved by ±4 % from run to run.
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 15);
const loadAtStart = loadavg()[0]!.toFixed(2);
const runScript = async <T>(script: string): Promise<T> => JSON.parse((await execa(process.execPath, ['--import', 'tsx', script], { cwd: root })).stdout);
const round3 = (value: number) => Number(value.toFixed(3));
const log = (message: string) => process.stderr.write(`${message}\n`);

log('rate limit: 2 × 240 requests at 4/s (about two minutes)');
const rateLimit = await runScript<RateLimitResult>('bench/rate-limit.ts');

log('streaming: 256 MiB down and up');
const streaming = await measureStreaming(root);

const runs: OverheadResult[] = [];
for (let i = 0; i < PROCESSES; i++) {
  runs.push(await runScript<OverheadResult>('bench/overhead.ts'));
  log(`wrapper cost: process ${i + 1}/${PROCESSES} done`);
}
const first = runs[0]!;
const overhead = (Object.keys(first.variants) as (keyof OverheadResult['variants'])[]).map((key) => {
  const ratios = runs.map((run) => run.variants[key].ratioToOpenapiFetch);
  return {
    key,
    variant: first.variants[key].variant,
    medianMsPerRequest: Number(median(runs.map((run) => run.variants[key].msPerRequest)).toFixed(4)),
    medianRatioToOpenapiFetch: round3(median(ratios)),
    ratioRangeOverProcesses: [round3(Math.min(...ratios)), round3(Math.max(...ratios))],
  };
});
const defaultsToTimeout = round3(median(runs.map((run) => run.clientDefaultsToOpenapiFetchWithTimeout)));
const stubbedMicros = Object.fromEntries((['openapiFetch', 'clientFeaturesOff'] as const).map((key) => [key, Number(median(runs.map((run) => run.stubbedFetchMicrosPerCall[key])).toFixed(2))])) as Record<'openapiFetch' | 'clientFeaturesOff', number>;

// Each entry bundled on its own, as an application importing only it would bundle it.
const ENTRIES = { core: 'index.ts', helpers: 'helpers.ts', xml: 'xml.ts' };
const size: Record<string, { ownCodeGzipBytes: number; withDependenciesGzipBytes: number }> = {};
for (const [name, file] of Object.entries(ENTRIES)) {
  size[name] = { ownCodeGzipBytes: (await bundleEntry(file, { external: true })).gzipBytes, withDependenciesGzipBytes: (await bundleEntry(file, { external: false })).gzipBytes };
}

const byKey = Object.fromEntries(overhead.map((row) => [row.key, row])) as Record<keyof OverheadResult['variants'], (typeof overhead)[number]>;
const MiB = 1024 * 1024;
const targets = {
  rateShareOneClient: { goal: '≥ 0.97, no 429', value: rateLimit.one.shareOfLimit, met: rateLimit.one.shareOfLimit >= 0.97 && rateLimit.one.received429 === 0 },
  threeClientsOneCredential: {
    goal: 'all succeed, time within 10 % of 60 s',
    value: rateLimit.three.timeVsIdeal,
    met: rateLimit.three.succeeded === rateLimit.three.requests && Math.abs(rateLimit.three.timeVsIdeal - 1) <= 0.1,
  },
  downloadPeakRssGrowthMiB: { goal: '≤ 64', value: round3(streaming.download.peakRssGrowthBytes / MiB), met: streaming.download.peakRssGrowthBytes <= 64 * MiB && streaming.download.bytes === streaming.sizeBytes },
  uploadPeakRssGrowthMiB: { goal: '≤ 64', value: round3(streaming.upload.peakRssGrowthBytes / MiB), met: streaming.upload.peakRssGrowthBytes <= 64 * MiB && streaming.upload.bytes >= streaming.sizeBytes },
  wrapperCostFeaturesOff: { goal: '≤ 1.05', value: byKey.clientFeaturesOff.medianRatioToOpenapiFetch, met: byKey.clientFeaturesOff.medianRatioToOpenapiFetch <= 1.05 },
};

const results = {
  date: new Date().toISOString(),
  node: process.version,
  machine: `${cpus().length} cores, load average ${loadAtStart} when the run began`,
  rateLimit,
  streaming,
  overhead: { processes: PROCESSES, roundsPerProcess: first.rounds, requestsPerRound: first.requestsPerRound, variants: overhead, clientDefaultsToOpenapiFetchWithTimeout: defaultsToTimeout, stubbedFetchMicrosPerCall: stubbedMicros },
  size,
  targets,
};
await writeFile(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const bytes = (count: number) => `${count.toLocaleString('en')} B`;
const mib = (count: number) => `${(count / MiB).toFixed(1)} MiB`;
const table = [
  `Last run: ${results.date.slice(0, 10)}, Node ${process.version}, ${results.machine}.`,
  '',
  '| what users feel | measured | goal | met |',
  '|---|---|---|---|',
  `| one client, ${rateLimit.one.requests} GETs: sustained rate / 4 per s | ${rateLimit.one.shareOfLimit} (${rateLimit.one.received429} × 429, ${rateLimit.one.seconds} s) | ≥ 0.97, no 429 | ${targets.rateShareOneClient.met ? 'yes' : 'NO'} |`,
  `| three clients, one credential, ${rateLimit.three.requests} GETs: time / 60 s | ${rateLimit.three.timeVsIdeal} (${rateLimit.three.succeeded} succeeded, ${rateLimit.three.received429} × 429) | all succeed, within 10 % | ${targets.threeClientsOneCredential.met ? 'yes' : 'NO'} |`,
  `| 256 MiB download, \`parseAs: 'stream'\`: peak RSS growth | ${mib(streaming.download.peakRssGrowthBytes)} (${streaming.download.seconds} s) | ≤ 64 MiB | ${targets.downloadPeakRssGrowthMiB.met ? 'yes' : 'NO'} |`,
  `| 256 MiB upload, file-backed Blob, \`uploadAttachment\`: peak RSS growth | ${mib(streaming.upload.peakRssGrowthBytes)} (${streaming.upload.seconds} s) | ≤ 64 MiB | ${targets.uploadPeakRssGrowthMiB.met ? 'yes' : 'NO'} |`,
  `| per request, client without retry/timeout/limit ÷ bare openapi-fetch | ${byKey.clientFeaturesOff.medianRatioToOpenapiFetch} (range ${byKey.clientFeaturesOff.ratioRangeOverProcesses.join('–')}) | ≤ 1.05 | ${targets.wrapperCostFeaturesOff.met ? 'yes' : 'NO'} |`,
  `| per request, a second bare openapi-fetch client ÷ the first (identical code: the noise floor) | ${byKey.openapiFetchControl.medianRatioToOpenapiFetch} (range ${byKey.openapiFetchControl.ratioRangeOverProcesses.join('–')}) | | |`,
  `| per call, fetch stubbed to answer at once (the wrapper's own CPU) | client ${stubbedMicros.clientFeaturesOff} µs, openapi-fetch ${stubbedMicros.openapiFetch} µs | | |`,
  `| per request, client defaults (no limit) ÷ bare openapi-fetch | ${byKey.clientDefaults.medianRatioToOpenapiFetch} (range ${byKey.clientDefaults.ratioRangeOverProcesses.join('–')}); ÷ openapi-fetch with the same 30 s timeout signal: ${defaultsToTimeout} | | |`,
  '',
  `Loopback, ${byKey.openapiFetch.medianMsPerRequest} ms per request for bare openapi-fetch; ${PROCESSES} processes × ${first.rounds} rounds × ${first.requestsPerRound} requests per variant.`,
  '',
  '| entry, minified + gzipped | `cloudsoar-v3` | `cloudsoar-v3/helpers` | `cloudsoar-v3/xml` |',
  '|---|---|---|---|',
  `| own code (dependencies external) | ${bytes(size.core!.ownCodeGzipBytes)} | ${bytes(size.helpers!.ownCodeGzipBytes)} | ${bytes(size.xml!.ownCodeGzipBytes)} |`,
  `| with openapi-fetch / fast-xml-parser bundled | ${bytes(size.core!.withDependenciesGzipBytes)} | ${bytes(size.helpers!.withDependenciesGzipBytes)} | ${bytes(size.xml!.withDependenciesGzipBytes)} |`,
].join('\n');
const readmePath = join(root, 'README.md');
const readme = await readFile(readmePath, 'utf8');
const marked = /(<!-- bench:start -->\n)[\s\S]*?(\n<!-- bench:end -->)/;
if (!marked.test(readme)) throw new Error('README.md lacks the <!-- bench:start --> / <!-- bench:end --> markers');
await writeFile(readmePath, readme.replace(marked, (_all, start, end) => `${start}${table}${end}`));
console.log(table);
for (const [name, target] of Object.entries(targets)) console.log(`${target.met ? 'met' : 'NOT MET'}: ${name} ${target.value} (goal ${target.goal})`);
