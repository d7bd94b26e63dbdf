// A loopback HTTP server whose behaviour each test sets: it counts attempts and can reset
// connections, stall, cut bodies short or answer anything.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultHandler = (request: IncomingMessage, response: ServerResponse, attempt: number) => void;

export interface FaultServer {
  url: string;
  attempts: number;
  /** Bodies of the requests received, in order. */
  bodies: string[];
  /** Headers of the requests received, in order. */
  headers: IncomingMessage['headers'][];
  handle(handler: FaultHandler): void;
  close(): Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  let handler: FaultHandler = (_request, response) => response.end();
  const sockets = new Set<Socket>();
  const state = {
    url: '',
    attempts: 0,
    bodies: [] as string[],
    headers: [] as IncomingMessage['headers'][],
    handle(next: FaultHandler) {
      handler = next;
      state.attempts = 0;
      state.bodies = [];
      state.headers = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      state.attempts++;
      state.bodies.push(body);
      state.headers.push(request.headers);
      handler(request, response, state.attempts);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
