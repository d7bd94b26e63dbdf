// `npm run bench`: what users of the client feel. Not part of `npm test` (it takes minutes and its
// timings depend on the machine). Writes bench/results.json and the table in README.md.
// 1. Rate-limit utilisation against a server enforcing 4 requests/s per credential (rate-limit.ts).
// 2. Peak RSS growth while streaming a 256 MiB download and upload, each in a fresh process (streaming.ts).
// 3. Per-request cost against bare openapi-fetch on one loopback server, in several fresh processes (overhead.ts).
// 4. Sizes of the entries, minified and gzipped (tools/kit/bundle.ts), reported without a budget.
// 5. Limits shared across processes through Redis (shared-limits.ts).
// `npm run bench -- shared` (or rate, streaming, overhead, size) runs only those parts and keeps
// the last results of the others from bench/results.json.
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { bundleEntry } from '../tools/kit/bundle.js';
import { root } from '../tools/kit/repo.js';
import { median } from './median.js';
import type { OverheadResult } from './overhead.js';
import type { RateLimitResult } from './rate-limit.js';
import type { SharedLimitsResult } from './shared-limits.js';
import { measureStreaming } from './streaming.js';

type Variant = keyof OverheadResult['variants'];
interface OverheadSummary {
  processes: number;
  roundsPerProcess: number;
  requestsPerRound: number;
  variants: {
    key: Variant;
    variant: string;
    medianMsPerRequest: number;
    medianRatioToOpenapiFetch: number;
    ratioRangeOverProcesses: number[];
  }[];
  clientDefaultsToOpenapiFetchWithTimeout: number;
  stubbedFetchMicrosPerCall: Record<'openapiFetch' | 'clientFeaturesOff', number>;
}
type Sizes = Record<'core' | 'helpers' | 'xml', { ownCodeGzipBytes: number; withDependenciesGzipBytes: number }>;
interface Results {
  rateLimit: RateLimitResult;
  streaming: Awaited<ReturnType<typeof measureStreaming>>;
  overhead: OverheadSummary;
  size: Sizes;
  sharedLimits: SharedLimitsResult;
}

// 15, not 7: with 7 the median of two identical clients still moved by ±4 % from run to run.
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 15);
const PARTS = ['rate', 'streaming', 'overhead', 'size', 'shared'];
const only = process.argv.slice(2);
for (const part of only)
  if (!PARTS.includes(part))
    throw new Error(`npm run bench -- [${PARTS.join('|')} ...]: unknown part ${JSON.stringify(part)}`);
const wanted = (part: string) => only.length === 0 || only.includes(part);
const previous: Partial<Results> = only.length
  ? JSON.parse(await readFile(join(root, 'bench', 'results.json'), 'utf8'))
  : {};
const loadAtStart = loadavg()[0]!.toFixed(2);
const runScript = async <T>(script: string): Promise<T> =>
  JSON.parse((await execa(process.execPath, ['--import', 'tsx', script], { cwd: root })).stdout);
const round3 = (value: number) => Number(value.toFixed(3));
const log = (message: string) => process.stderr.write(`${message}\n`);
/** A part this run measured, or the last run's (every part has run once: bench/results.json). */
const last = <K extends keyof Results>(key: K): Results[K] => {
  const value = previous[key];
  if (value === undefined)
    throw new Error(`bench/results.json has no ${key}: run \`npm run bench\` without parts once`);
  return value as Results[K];
};

if (wanted('rate')) log('rate limit: 2 × 240 requests at 4/s (about two minutes)');
const rateLimit = wanted('rate') ? await runScript<RateLimitResult>('bench/rate-limit.ts') : last('rateLimit');

if (wanted('streaming')) log('streaming: 256 MiB down and up');
const streaming = wanted('streaming') ? await measureStreaming(root) : last('streaming');

const sharedLimits = wanted('shared')
  ? await runScript<SharedLimitsResult>('bench/shared-limits.ts')
  : last('sharedLimits');

async function measureOverhead(): Promise<OverheadSummary> {
  const runs: OverheadResult[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    runs.push(await runScript<OverheadResult>('bench/overhead.ts'));
    log(`wrapper cost: process ${i + 1}/${PROCESSES} done`);
  }
  const first = runs[0]!;
  const variants = (Object.keys(first.variants) as Variant[]).map((key) => {
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
  const stubbedMicros = Object.fromEntries(
    (['openapiFetch', 'clientFeaturesOff'] as const).map((key) => [
      key,
      Number(median(runs.map((run) => run.stubbedFetchMicrosPerCall[key])).toFixed(2)),
    ]),
  ) as OverheadSummary['stubbedFetchMicrosPerCall'];
  return {
    processes: PROCESSES,
    roundsPerProcess: first.rounds,
    requestsPerRound: first.requestsPerRound,
    variants,
    clientDefaultsToOpenapiFetchWithTimeout: defaultsToTimeout,
    stubbedFetchMicrosPerCall: stubbedMicros,
  };
}
const overhead = wanted('overhead') ? await measureOverhead() : last('overhead');
const { clientDefaultsToOpenapiFetchWithTimeout: defaultsToTimeout, stubbedFetchMicrosPerCall: stubbedMicros } =
  overhead;

// Each entry bundled on its own, as an application importing only it would bundle it.
const ENTRIES = { core: 'index.ts', helpers: 'helpers.ts', xml: 'xml.ts' };
const size = wanted('size') ? ({} as Sizes) : last('size');
if (wanted('size')) {
  for (const [name, file] of Object.entries(ENTRIES) as [keyof Sizes, string][]) {
    size[name] = {
      ownCodeGzipBytes: (await bundleEntry(file, { external: true })).gzipBytes,
      withDependenciesGzipBytes: (await bundleEntry(file, { external: false })).gzipBytes,
    };
  }
}

const byKey = Object.fromEntries(overhead.variants.map((row) => [row.key, row])) as Record<
  Variant,
  OverheadSummary['variants'][number]
>;
const MiB = 1024 * 1024;
const targets = {
  rateShareOneClient: {
    goal: '≥ 0.97, no 429',
    value: rateLimit.one.shareOfLimit,
    met: rateLimit.one.shareOfLimit >= 0.97 && rateLimit.one.received429 === 0,
  },
  threeClientsOneCredential: {
    goal: 'all succeed, time within 10 % of 60 s',
    value: rateLimit.three.timeVsIdeal,
    met: rateLimit.three.succeeded === rateLimit.three.requests && Math.abs(rateLimit.three.timeVsIdeal - 1) <= 0.1,
  },
  downloadPeakRssGrowthMiB: {
    goal: '≤ 64',
    value: round3(streaming.download.peakRssGrowthBytes / MiB),
    met: streaming.download.peakRssGrowthBytes <= 64 * MiB && streaming.download.bytes === streaming.sizeBytes,
  },
  uploadPeakRssGrowthMiB: {
    goal: '≤ 64',
    value: round3(streaming.upload.peakRssGrowthBytes / MiB),
    met: streaming.upload.peakRssGrowthBytes <= 64 * MiB && streaming.upload.bytes >= streaming.sizeBytes,
  },
  wrapperCostFeaturesOff: {
    goal: '≤ 1.05',
    value: byKey.clientFeaturesOff.medianRatioToOpenapiFetch,
    met: byKey.clientFeaturesOff.medianRatioToOpenapiFetch <= 1.05,
  },
  sharedRateFourProcesses: {
    goal: '0 × 429, ≤ 1.10',
    value: sharedLimits.rate.timeVsIdeal,
    met:
      sharedLimits.rate.received429 === 0 &&
      sharedLimits.rate.succeeded === sharedLimits.rate.requests &&
      sharedLimits.rate.timeVsIdeal <= 1.1,
  },
  sharedLanesThreeProcesses: {
    goal: '≤ 10 in flight, 0 × 429, within 10 % of 6 s',
    value: sharedLimits.lanes.timeVsIdeal,
    met:
      sharedLimits.lanes.maxInFlightAtServer <= 10 &&
      sharedLimits.lanes.received429 === 0 &&
      sharedLimits.lanes.succeeded === sharedLimits.lanes.requests &&
      Math.abs(sharedLimits.lanes.timeVsIdeal - 1) <= 0.1,
  },
};

const results = {
  date: new Date().toISOString(),
  node: process.version,
  machine: `${cpus().length} cores, load average ${loadAtStart} when the run began`,
  ran: only.length ? only : PARTS,
  rateLimit,
  streaming,
  overhead,
  size,
  sharedLimits,
  targets,
};
await writeFile(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

const bytes = (count: number) => `${count.toLocaleString('en')} B`;
const mib = (count: number) => `${(count / MiB).toFixed(1)} MiB`;
const table = [
  `Last run: ${results.date.slice(0, 10)}, Node ${process.version}, ${results.machine}${only.length ? ` (this run: ${only.join(', ')}; the other rows from the run before)` : ''}.`,
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
  `| shared store (Redis), 4 processes × 60 GETs, one credential: time / 60 s | ${sharedLimits.rate.timeVsIdeal} (${sharedLimits.rate.succeeded} succeeded, ${sharedLimits.rate.received429} × 429) | 0 × 429, ≤ 1.10 | ${targets.sharedRateFourProcesses.met ? 'yes' : 'NO'} |`,
  `| shared store, 3 processes × 10 requests of 2 s, 10 lanes (rate 100/s both sides): time / 6 s | ${sharedLimits.lanes.timeVsIdeal} (at most ${sharedLimits.lanes.maxInFlightAtServer} in flight at the server, ${sharedLimits.lanes.received429} × 429) | ≤ 10 in flight, 0 × 429, within 10 % | ${targets.sharedLanesThreeProcesses.met ? 'yes' : 'NO'} |`,
  `| shared store's own cost per request, loopback Redis (lane + slot, lane back) | ${sharedLimits.storeCost.msPerRequestShared} ms (in-process limiter: ${sharedLimits.storeCost.msPerRequestInProcess} ms) | | |`,
  `| per request, client defaults (no limit) ÷ bare openapi-fetch | ${byKey.clientDefaults.medianRatioToOpenapiFetch} (range ${byKey.clientDefaults.ratioRangeOverProcesses.join('–')}); ÷ openapi-fetch with the same 30 s timeout signal: ${defaultsToTimeout} | | |`,
  '',
  `Loopback, ${byKey.openapiFetch.medianMsPerRequest} ms per request for bare openapi-fetch; ${overhead.processes} processes × ${overhead.roundsPerProcess} rounds × ${overhead.requestsPerRound} requests per variant.`,
  '',
  '| entry, minified + gzipped | `cloudsoar-v3` | `cloudsoar-v3/helpers` | `cloudsoar-v3/xml` |',
  '|---|---|---|---|',
  `| own code (dependencies external) | ${bytes(size.core.ownCodeGzipBytes)} | ${bytes(size.helpers.ownCodeGzipBytes)} | ${bytes(size.xml.ownCodeGzipBytes)} |`,
  `| with openapi-fetch / fast-xml-parser bundled | ${bytes(size.core.withDependenciesGzipBytes)} | ${bytes(size.helpers.withDependenciesGzipBytes)} | ${bytes(size.xml.withDependenciesGzipBytes)} |`,
].join('\n');
const readmePath = join(root, 'README.md');
const readme = await readFile(readmePath, 'utf8');
const marked = /(<!-- bench:start -->\n)[\s\S]*?(\n<!-- bench:end -->)/;
if (!marked.test(readme)) throw new Error('README.md lacks the <!-- bench:start --> / <!-- bench:end --> markers');
await writeFile(
  readmePath,
  readme.replace(marked, (_all, start, end) => `${start}${table}${end}`),
);
console.log(table);
for (const [name, target] of Object.entries(targets))
  console.log(`${target.met ? 'met' : 'NOT MET'}: ${name} ${target.value} (goal ${target.goal})`);
