// Free-port discovery on loopback. A preferred port is used when it is free; otherwise the OS picks one.
import { createServer } from 'node:net';

function tryListen(port, host) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(null));
    server.listen({ port, host, exclusive: true }, () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

/** Resolves to `preferred` if it can be bound on `host`, else to a port the OS chose. */
export async function findFreePort(preferred = 0, host = '127.0.0.1') {
  if (preferred) {
    const port = await tryListen(preferred, host);
    if (port) return port;
  }
  const port = await tryListen(0, host);
  if (!port) throw new Error(`no free TCP port on ${host}`);
  return port;
}
