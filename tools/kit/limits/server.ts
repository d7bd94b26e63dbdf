// A loopback stand-in for Sumo Logic's limits per credential: a token bucket of `rate` requests per
// second (holding at most `rate`, as a one-second window would) and at most `concurrent` requests in
// flight; beyond either it answers 429 with Retry-After. It answers GET /incidents/{id}/ after
// `?delay=` ms, and can be told to ask for a pause once (`pauseAfter` requests, `pauseSeconds`).
// It records every request, so tests count 429s, in-flight maxima and duplicates.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LimitServerOptions {
  rate: number;
  concurrent: number;
  /** After this many accepted requests, answer the next one 429 with Retry-After: pauseSeconds. */
  pauseAfter?: number;
  pauseSeconds?: number;
}

export interface SeenRequest {
  /** The request's own id (`?n=`), to find duplicates. */
  id: string;
  status: number;
  /** Arrival, ms since the server started. */
  at: number;
  /** Why a 429 was given. */
  reason?: 'rate' | 'concurrency' | 'pause';
}

export interface LimitServer {
  url: string;
  requests: SeenRequest[];
  /** Most requests of one credential in flight at once, accepted ones counted until their answer is sent. */
  maxInFlight: number;
  /** When the planted 429 was answered, if it was. */
  pausedAt?: number;
  close(): Promise<void>;
}

export async function startLimitServer(options: LimitServerOptions): Promise<LimitServer> {
  const started = performance.now();
  const perCredential = new Map<string, { tokens: number; at: number; inFlight: number }>();
  let accepted = 0;
  const state: LimitServer = {
    url: '',
    requests: [],
    maxInFlight: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((request, response) => {
    const now = performance.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const seen: SeenRequest = { id: url.searchParams.get('n') ?? '', status: 200, at: now - started };
    state.requests.push(seen);
    const credential = request.headers.authorization ?? '';
    const limits =
      perCredential.get(credential) ??
      perCredential.set(credential, { tokens: options.rate, at: now, inFlight: 0 }).get(credential)!;
    limits.tokens = Math.min(options.rate, limits.tokens + ((now - limits.at) / 1000) * options.rate);
    limits.at = now;
    const refuse = (reason: NonNullable<SeenRequest['reason']>, seconds: number) => {
      seen.status = 429;
      seen.reason = reason;
      response.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': String(seconds) });
      response.end('{"error":"Too many requests"}');
    };
    if (limits.inFlight >= options.concurrent) return refuse('concurrency', 1);
    if (limits.tokens < 1) return refuse('rate', Math.ceil((1 - limits.tokens) / options.rate));
    if (options.pauseAfter !== undefined && accepted === options.pauseAfter && state.pausedAt === undefined) {
      state.pausedAt = seen.at;
      return refuse('pause', options.pauseSeconds ?? 1);
    }
    limits.tokens -= 1;
    accepted++;
    limits.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, limits.inFlight);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      limits.inFlight--;
    };
    response.once('finish', finish);
    response.once('close', finish);
    const answer = () => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"id":8508}');
    };
    const delay = Number(url.searchParams.get('delay') ?? 0);
    if (delay > 0) setTimeout(answer, delay);
    else answer();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
