// The built docs served on loopback (sirv), on a free port (get-port).
import { createServer } from 'node:http';
import getPort from 'get-port';
import sirv from 'sirv';

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Serves files under `directory`; any path without a file is the page (Redoc routes with real paths). */
export async function serveStatic(
  directory: string,
  { port: preferred = 0, host = '127.0.0.1' } = {},
): Promise<RunningServer> {
  const serve = sirv(directory, { single: true, dev: true, etag: false });
  const server = createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(404).end();
      return;
    }
    serve(request, response, () => {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    });
  });
  const port = await freePort(preferred, host);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return {
    url: `http://${host}:${port}`,
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `preferred` when it is free on `host` (0: none preferred), else a port the OS chose. */
export function freePort(preferred: number, host = '127.0.0.1'): Promise<number> {
  return getPort({ host, ...(preferred ? { port: preferred } : {}) });
}
