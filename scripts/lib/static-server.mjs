// A small static file server for the built docs, on loopback only.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { findFreePort } from './ports.mjs';

const TYPES = { '.html': 'text/html; charset=utf-8', '.png': 'image/png', '.json': 'application/json', '.yaml': 'application/yaml' };

/** Serves files under `directory` ("/" is index.html); resolves once listening. */
export async function serveStatic(directory, { port: preferred = 0, host = '127.0.0.1' } = {}) {
  const base = normalize(directory + sep);
  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    // Redoc routes with real paths (/tag/…/operation/…): anything without a file extension is the page.
    const file = normalize(join(base, pathname === '/' || extname(pathname) === '' ? 'index.html' : pathname));
    if (!file.startsWith(base) || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    }
  });
  const port = await findFreePort(preferred, host);
  await new Promise((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return {
    url: `http://${host}:${port}`,
    port,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
