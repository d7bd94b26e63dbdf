// Streaming: a 256 MiB download and a 256 MiB upload through the client, each measured in a fresh
// process (bench/streaming-client.ts) against a loopback server here that neither buffers nor stores.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export const SIZE = 256 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024, 0x61);

function serve(): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/incidents/1/attachments/2/') {
      response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': SIZE });
      let sent = 0;
      const more = () => {
        while (sent < SIZE) {
          sent += CHUNK.length;
          if (!response.write(CHUNK)) {
            response.once('drain', more);
            return;
          }
        }
        response.end();
      };
      more();
      return;
    }
    let received = 0;
    request.on('data', (chunk) => (received += chunk.length));
    request.on('end', () => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ id: 1, received }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function writeFile(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let written = 0; written < SIZE; written += CHUNK.length)
    if (!out.write(CHUNK)) await new Promise<void>((resolve) => out.once('drain', resolve));
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

interface Transfer {
  mode: string;
  bytes: number;
  seconds: number;
  peakRssGrowthBytes: number;
}

export async function measureStreaming(
  root: string,
): Promise<{ sizeBytes: number; download: Transfer; upload: Transfer }> {
  const server = await serve();
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const work = await mkdtemp(join(tmpdir(), 'cloudsoar-bench-'));
  const file = join(work, 'large.bin');
  try {
    await writeFile(file);
    const run = async (...args: string[]): Promise<Transfer> => {
      const { stdout } = await execa(
        process.execPath,
        ['--import', 'tsx', '--expose-gc', 'bench/streaming-client.ts', ...args],
        { cwd: root },
      );
      return JSON.parse(stdout);
    };
    return { sizeBytes: SIZE, download: await run('download', baseUrl), upload: await run('upload', baseUrl, file) };
  } finally {
    server.close();
    await rm(work, { recursive: true, force: true });
  }
}
