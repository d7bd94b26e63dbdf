// Streaming: a 256 MiB download and a 256 MiB upload through the client, each measured in a fresh
// process (bench/streaming-client.mjs) against a loopback server here that neither buffers nor stores.
import { execFile } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const SIZE = 256 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024 * 1024, 0x61);

function serve() {
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/incidents/1/attachments/2/') {
      response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': SIZE });
      let sent = 0;
      const more = () => {
        while (sent < SIZE) {
          sent += CHUNK.length;
          if (!response.write(CHUNK)) return void response.once('drain', more);
        }
        response.end();
      };
      return more();
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

async function writeFile(path) {
  const out = createWriteStream(path);
  for (let written = 0; written < SIZE; written += CHUNK.length) if (!out.write(CHUNK)) await new Promise((resolve) => out.once('drain', resolve));
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
}

export async function measureStreaming(root) {
  const server = await serve();
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  const work = await mkdtemp(join(tmpdir(), 'cloudsoar-bench-'));
  const file = join(work, 'large.bin');
  try {
    await writeFile(file);
    const run = async (...args) => {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--expose-gc', 'bench/streaming-client.mjs', ...args], { cwd: root, maxBuffer: 1 << 20 });
      return JSON.parse(stdout);
    };
    return { sizeBytes: SIZE, download: await run('download', baseUrl), upload: await run('upload', baseUrl, file) };
  } finally {
    server.close();
    await rm(work, { recursive: true, force: true });
  }
}
