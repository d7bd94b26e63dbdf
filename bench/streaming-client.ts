// One streaming measurement in a fresh process: `download` reads a large attachment with
// parseAs: 'stream'; `upload <file>` sends a file-backed Blob (fs.openAsBlob) through
// uploadAttachment. Prints the peak growth of the process's RSS over its level before the transfer.
import { openAsBlob } from 'node:fs';
import { uploadAttachment } from '../src/helpers.js';
import { createCloudSoarClient, orThrow } from '../src/index.js';

const [mode, baseUrl, file] = process.argv.slice(2);
if (!mode || !baseUrl) throw new Error('usage: streaming-client.ts download|upload <base URL> [file]');
const soar = createCloudSoarClient({ baseUrl, token: 'bench-token', rateLimit: false, timeoutMs: 600_000 });
// Warm up the client and the connection, so the baseline includes what any call loads.
await orThrow(soar.GET('/incidents/{id}/', { params: { path: { id: 1 } } }));
globalThis.gc?.();
const baseline = process.memoryUsage.rss();
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
const started = performance.now();
let bytes = 0;
if (mode === 'download') {
  const { data, response } = await soar.GET('/incidents/{id}/attachments/{attachment_id}/', {
    params: { path: { id: 1, attachment_id: 2 } },
    parseAs: 'stream',
  });
  if (!response.ok || !data) throw new Error(`download answered ${response.status}`);
  for await (const chunk of data as unknown as AsyncIterable<Uint8Array>) bytes += chunk.byteLength;
} else {
  const blob = await openAsBlob(file ?? '');
  const answer = await orThrow(
    uploadAttachment(soar, '/incidents/{id}/attachments/', {
      params: { path: { id: 1 } },
      file: blob,
      fileName: 'large.bin',
    }),
  );
  bytes = (answer as unknown as { received: number }).received; // the bench server's answer, not the API's
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
process.stdout.write(
  JSON.stringify({ mode, bytes, seconds: Number(seconds.toFixed(2)), peakRssGrowthBytes: peak - baseline }),
);
