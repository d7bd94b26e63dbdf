// The client against injected faults on a loopback server: attempt counts, time bounds, error types.
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type CloudSoarClientOptions,
  CloudSoarError,
  CloudSoarNetworkError,
  CloudSoarResponseError,
  CloudSoarTimeoutError,
  createCloudSoarClient,
  errorOf,
  orThrow,
} from '../../src/index.js';
import { type FaultServer, json, startFaultServer } from '../support/fault-server.js';

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.eyJzZWNyZXQiOiJ0b3AifQ.U0VDUkVULVNJR05BVFVSRQ';
const ACCESS_ID = 'suSecretAccessId42';
const ACCESS_KEY = 'SecretAccessKeyValue-do-not-print';
const INCIDENT = { id: 8508, incidentid: { name: 'Incident ID', value: 'INSIGHT-1' } };

let server: FaultServer;
beforeAll(async () => (server = await startFaultServer()));
afterAll(() => server.close());

/** A client with fast backoff so retry tests take milliseconds, not seconds. */
function client(options: Partial<CloudSoarClientOptions> = {}) {
  return createCloudSoarClient({
    baseUrl: server.url,
    token: TOKEN,
    rateLimit: false,
    timeoutMs: 2_000,
    retry: { baseDelayMs: 5, maxDelayMs: 2_000 },
    ...options,
  } as CloudSoarClientOptions);
}

const getIncident = (soar: ReturnType<typeof client>) =>
  soar.GET('/incidents/{id}/', { params: { path: { id: 8508 } } });
const search = (soar: ReturnType<typeof client>) => soar.POST('/incidents/search/', { body: { page_number: 1 } });

/**
 * How long `work` took. Only lower bounds are checked (a wait happened): a loaded machine makes
 * everything slower, never faster. What happened is shown by attempt counts and error types.
 */
async function timed<T>(work: () => Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const start = performance.now();
  try {
    return { value: await work(), ms: performance.now() - start };
  } catch (error) {
    return { error, ms: performance.now() - start };
  }
}

const seenErrors: unknown[] = [];

describe('retries', () => {
  it('retries a reset connection on GET, then reports a CloudSoarNetworkError with the attempt count', async () => {
    server.handle((request) => request.socket.destroy());
    const { error } = await timed(() => getIncident(client({ retry: { retries: 2, baseDelayMs: 5 } })));
    seenErrors.push(error);
    expect(error).toBeInstanceOf(CloudSoarNetworkError);
    expect((error as CloudSoarNetworkError).attempts).toBe(3);
    expect((error as CloudSoarNetworkError).operationId).toBe('incidents_retrieve');
    expect(server.attempts).toBe(3);
  });

  it('retries 502 and 503 on GET until it succeeds', async () => {
    server.handle((_request, response, attempt) =>
      attempt === 1
        ? json(response, 502, { error: 'Bad gateway' })
        : attempt === 2
          ? json(response, 503, { error: 'Unavailable' })
          : json(response, 200, INCIDENT),
    );
    const { data, response } = await getIncident(client());
    expect(response.status).toBe(200);
    expect(data?.id).toBe(8508);
    expect(server.attempts).toBe(3);
  });

  it('does not retry a 500 and returns it as an error', async () => {
    server.handle((_request, response) => json(response, 500, { error: 'Internal server error', description: 'boom' }));
    const result = await getIncident(client());
    const error = errorOf(result);
    seenErrors.push(error);
    expect(server.attempts).toBe(1);
    expect(error).toBeInstanceOf(CloudSoarError);
    expect(error?.status).toBe(500);
    expect(error?.message).toBe('GET /incidents/{id}/ (incidents_retrieve) answered 500: Internal server error — boom');
  });

  it('honours Retry-After on 429 (waits about that long, then succeeds)', async () => {
    server.handle((_request, response, attempt) =>
      attempt === 1
        ? json(response, 429, { error: 'Too many requests' }, { 'Retry-After': '1' })
        : json(response, 200, INCIDENT),
    );
    const { value, ms } = await timed(() => getIncident(client()));
    expect(value?.response.status).toBe(200);
    expect(server.attempts).toBe(2);
    expect(ms).toBeGreaterThanOrEqual(950);
  });

  it('backs off on 429 without Retry-After and succeeds', async () => {
    server.handle((_request, response, attempt) =>
      attempt < 3
        ? json(response, 429, { errors: [{ code: 'rate.limit.exceeded', message: 'slow down' }] })
        : json(response, 200, INCIDENT),
    );
    const { value } = await timed(() => getIncident(client()));
    expect(value?.response.status).toBe(200);
    expect(server.attempts).toBe(3);
  });

  it('gives the 429 back at once when Retry-After is longer than it may wait', async () => {
    server.handle((_request, response) =>
      json(response, 429, { error: 'Too many requests' }, { 'Retry-After': '3600' }),
    );
    const { value } = await timed(() => getIncident(client()));
    const error = errorOf(value!);
    expect(server.attempts).toBe(1);
    expect(error?.status).toBe(429);
    expect(error?.retryAfterSeconds).toBe(3600);
  });

  it('reads Retry-After as an HTTP date too, in the retry and on the error', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toUTCString();
    server.handle((_request, response) =>
      json(response, 429, { error: 'Too many requests' }, { 'Retry-After': inAnHour }),
    );
    const { value } = await timed(() => getIncident(client()));
    expect(server.attempts).toBe(1); // an hour is longer than it may wait
    // An hour less the time the call took (minutes at most, however busy the machine).
    expect(errorOf(value!)?.retryAfterSeconds).toBeGreaterThan(3_000);
    expect(errorOf(value!)?.retryAfterSeconds).toBeLessThanOrEqual(3_600);
  });

  it('stops after the configured number of retries and returns the last answer', async () => {
    server.handle((_request, response) => json(response, 503, { error: 'Unavailable' }));
    const result = await getIncident(client({ retry: { retries: 2, baseDelayMs: 5 } }));
    expect(server.attempts).toBe(3);
    expect(errorOf(result)?.status).toBe(503);
  });

  it('does not retry POST unless the caller opts in; with the opt-in it resends the same body', async () => {
    server.handle((_request, response, attempt) =>
      attempt === 1 ? json(response, 503, { error: 'Unavailable' }) : json(response, 200, []),
    );
    const once = await search(client());
    expect(server.attempts).toBe(1);
    expect(once.response.status).toBe(503);

    server.handle((_request, response, attempt) =>
      attempt === 1 ? json(response, 503, { error: 'Unavailable' }) : json(response, 200, []),
    );
    const retried = await search(client({ retry: { baseDelayMs: 5, retryNonIdempotent: true } }));
    expect(server.attempts).toBe(2);
    expect(retried.response.status).toBe(200);
    expect(server.bodies).toEqual(['{"page_number":1}', '{"page_number":1}']);
  });

  it('can be switched off', async () => {
    server.handle((_request, response) => json(response, 503, { error: 'Unavailable' }));
    await getIncident(client({ retry: false }));
    expect(server.attempts).toBe(1);
  });
});

describe('timeouts, cut-off bodies and unreadable answers', () => {
  it('times out when headers come later than timeoutMs, without hanging', async () => {
    server.handle((_request, response) => setTimeout(() => json(response, 200, INCIDENT), 1_500));
    const { error, ms } = await timed(() => getIncident(client({ timeoutMs: 200, retry: false })));
    seenErrors.push(error);
    expect(error).toBeInstanceOf(CloudSoarTimeoutError);
    expect((error as CloudSoarTimeoutError).timeoutMs).toBe(200);
    expect(ms).toBeGreaterThanOrEqual(190);
  });

  it('retries a GET whose first attempt timed out, with a fresh deadline', async () => {
    server.handle((_request, response, attempt) =>
      attempt === 1 ? setTimeout(() => json(response, 200, INCIDENT), 1_500) : json(response, 200, INCIDENT),
    );
    const { value } = await timed(() => getIncident(client({ timeoutMs: 200 })));
    expect(value?.data).toEqual(INCIDENT);
    expect(server.attempts).toBe(2);
  });

  it('reports a body cut short as a CloudSoarNetworkError', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '500' });
      response.write('{"id": 8508, "incidentid": {"name"');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const { error } = await timed(() => getIncident(client({ retry: { retries: 1, baseDelayMs: 5 } })));
    seenErrors.push(error);
    expect(error).toBeInstanceOf(CloudSoarNetworkError);
    expect((error as CloudSoarNetworkError).operationId).toBe('incidents_retrieve');
    // Answers are not buffered (see bench/): a body that breaks after the headers is not retried.
    expect(server.attempts).toBe(1);
  });

  it('reports invalid JSON as a CloudSoarResponseError', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"id": 8508,');
    });
    const { error } = await timed(() => getIncident(client()));
    seenErrors.push(error);
    expect(error).toBeInstanceOf(CloudSoarResponseError);
    expect((error as Error).message).toMatch(
      /^GET \/incidents\/\{id\}\/ \(incidents_retrieve\) answered 200 with application\/json: invalid JSON/,
    );
  });

  it('reports an unexpected content type as a CloudSoarResponseError', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<html>login page</html>');
    });
    const { error } = await timed(() => getIncident(client()));
    expect(error).toBeInstanceOf(CloudSoarResponseError);
    expect((error as CloudSoarResponseError).contentType).toBe('text/html');
  });

  it('times out when the body stalls after the headers', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      response.write('{"id": 8508');
    });
    const { error } = await timed(() => getIncident(client({ timeoutMs: 200, retry: false })));
    expect(error).toBeInstanceOf(CloudSoarTimeoutError);
  });

  it('checks JSON sent without a Content-Length (chunked) too', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      response.write('{"id": ');
      response.end('}');
    });
    const { error } = await timed(() => getIncident(client()));
    expect(error).toBeInstanceOf(CloudSoarResponseError);
  });

  it('leaves no timeout timer behind once an answer is read, even one without a body', async () => {
    // The client's own deadlines (its only 60 s timers), not the process's timer count: other timers
    // (undici's, the fault server's from earlier tests) come and go on their own schedule.
    const set = vi.spyOn(globalThis, 'setTimeout');
    const cleared = vi.spyOn(globalThis, 'clearTimeout');
    try {
      const soar = client({ timeoutMs: 60_000 });
      server.handle((request, response) => {
        if (request.method === 'DELETE') return void response.writeHead(204).end();
        if (request.url?.includes('/9/')) return json(response, 404, { error: 'Not found' });
        json(response, 200, INCIDENT);
      });
      expect((await soar.DELETE('/incidents/{id}/', { params: { path: { id: 1 } } })).response.status).toBe(204);
      expect((await getIncident(soar)).data).toEqual(INCIDENT);
      expect((await soar.GET('/incidents/{id}/', { params: { path: { id: 9 } } })).error).toEqual({
        error: 'Not found',
      });
      const deadlines = set.mock.calls.flatMap(([, delay], index) =>
        delay === 60_000 ? [set.mock.results[index]!.value] : [],
      );
      expect(deadlines).toHaveLength(3); // one per call
      const clearedTimers = new Set(cleared.mock.calls.map(([timer]) => timer));
      expect(deadlines.filter((timer) => !clearedTimers.has(timer))).toEqual([]);
    } finally {
      set.mockRestore();
      cleared.mockRestore();
    }
  });

  it('stops at once when the caller aborts', async () => {
    server.handle((_request, response) => setTimeout(() => json(response, 200, INCIDENT), 1_500));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const { error } = await timed(() =>
      client().GET('/incidents/{id}/', { params: { path: { id: 1 } }, signal: controller.signal }),
    );
    expect((error as Error).name).toBe('AbortError');
  });
});

describe('rate limiting', () => {
  // The limiter's clock and waits are faked, and what is asserted is when each request went to the
  // network on that clock: the schedule, not how fast the machine is. The network stays real.
  // Clients of one credential share a schedule for the whole process (see the second test) and each
  // test's fake clock starts anew, so each test uses a credential of its own.
  let released: number[];
  let clockStart: number;
  const recordingFetch: typeof fetch = (input, init) => {
    released.push(performance.now() - clockStart);
    return fetch(input, init);
  };
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    server.handle((_request, response) => json(response, 200, INCIDENT));
    released = [];
    clockStart = performance.now();
  });
  afterEach(() => vi.useRealTimers());
  /** Lets the calls just made reach the limiter and take their slots (the fake clock stands still). */
  const queued = () => new Promise<void>((resolve) => setImmediate(resolve));
  const limited = (rateLimit: CloudSoarClientOptions['rateLimit'], token: string) =>
    client({ rateLimit, token, fetch: recordingFetch } as Partial<CloudSoarClientOptions>);
  const statuses = (results: { response: Response }[]) => results.map(({ response }) => response.status);

  it('holds to 4 requests per second by default (burst of 1)', async () => {
    const soar = limited({}, 'default-rate-credential');
    const all = Promise.all(Array.from({ length: 6 }, () => getIncident(soar)));
    await queued();
    await vi.advanceTimersByTimeAsync(1_250);
    expect(statuses(await all)).toEqual(Array(6).fill(200));
    expect(released).toEqual([0, 250, 500, 750, 1_000, 1_250]);
  });

  it('shares one schedule between clients with the same credential (the server limits per user)', async () => {
    const shared = { requestsPerSecond: 2.5, burst: 1 }; // one request per 400 ms
    const [one, two, other] = [
      limited(shared, 'shared-credential'),
      limited(shared, 'shared-credential'),
      limited(shared, 'another-credential'),
    ];
    await Promise.all([getIncident(one), getIncident(other)]); // answered while the clock stands still: neither waited
    const three = Promise.all([getIncident(one), getIncident(two), getIncident(two)]);
    await queued();
    await vi.advanceTimersByTimeAsync(1_200);
    expect(statuses(await three)).toEqual([200, 200, 200]);
    expect(released).toEqual([0, 0, 400, 800, 1_200]);
  });

  it('lets a caller give up while waiting for its turn, without delaying the ones behind it', async () => {
    const soar = limited({ requestsPerSecond: 4, burst: 1 }, 'give-up-credential');
    const controller = new AbortController();
    const first = getIncident(soar); // at once
    const second = soar.GET('/incidents/{id}/', { params: { path: { id: 1 } }, signal: controller.signal }); // its turn: 250 ms
    const third = getIncident(soar); // 500 ms
    await queued();
    controller.abort();
    await expect(second).rejects.toMatchObject({ name: 'AbortError' }); // the clock stands still: before its turn
    await vi.advanceTimersByTimeAsync(500);
    expect(statuses(await Promise.all([first, third]))).toEqual([200, 200]);
    expect(released).toEqual([0, 500]); // the second never went; the third kept its slot
  });

  it('is configurable', async () => {
    const soar = limited({ requestsPerSecond: 50, burst: 1 }, 'configured-rate-credential');
    const all = Promise.all(Array.from({ length: 6 }, () => getIncident(soar)));
    await queued();
    await vi.advanceTimersByTimeAsync(100);
    expect(statuses(await all)).toEqual(Array(6).fill(200));
    expect(released).toEqual([0, 20, 40, 60, 80, 100]);
  });
});

describe('a pooled connection closed by the server as the client reuses it', () => {
  // Its own server: no connection pooled by earlier tests may be picked for the re-send.
  let closing: FaultServer;
  beforeAll(async () => {
    closing = await startFaultServer();
    const served = new WeakMap<object, number>();
    // The first request on a connection is answered; a later one finds the connection closed.
    closing.handle((request, response) => {
      const count = (served.get(request.socket) ?? 0) + 1;
      served.set(request.socket, count);
      if (count > 1) return void request.socket.destroy();
      json(response, 200, INCIDENT);
    });
  });
  afterAll(() => closing.close());
  // undici returns a connection to its pool a moment after the answer is read; a timer lets it.
  const pooled = () => new Promise((resolve) => setTimeout(resolve, 20));
  const onClosing = (options: Partial<CloudSoarClientOptions> = {}) =>
    client({ baseUrl: closing.url, retry: false, ...options });

  it('re-sends an idempotent request once, at once, on a fresh connection (even with retries off)', async () => {
    const soar = onClosing();
    await getIncident(soar); // leaves its connection in the pool
    await pooled();
    const before = closing.attempts;
    const { value } = await timed(() => getIncident(soar));
    expect(value?.response.status).toBe(200);
    expect(closing.attempts - before).toBe(2); // the request that met the closed connection, and the re-send
  });

  it('does not re-send a POST: a CloudSoarNetworkError says why', async () => {
    const soar = onClosing({ retry: { retries: 3, baseDelayMs: 5 } });
    await search(soar);
    await pooled();
    const before = closing.attempts;
    const { error } = await timed(() => search(soar));
    expect(error).toBeInstanceOf(CloudSoarNetworkError);
    expect((error as CloudSoarNetworkError).attempts).toBe(1);
    expect((error as Error).message).toMatch(
      /^POST \/incidents\/search\/ \(incidents_search_create\) failed after 1 attempt: .*not re-sent, it may not be idempotent/,
    );
    expect(closing.attempts - before).toBe(1);
  });
});

describe('typed errors and the throwing style', () => {
  it('orThrow returns the data or throws a CloudSoarError with body, headers and operation', async () => {
    server.handle((_request, response, attempt) =>
      attempt === 1
        ? json(response, 200, INCIDENT)
        : json(
            response,
            404,
            { error: 'Not found', description: 'No incident 1' },
            { 'X-Request-Id': 'req-1', 'Set-Cookie': 'session=session-secret' },
          ),
    );
    const soar = client();
    expect((await orThrow(getIncident(soar))).id).toBe(8508);
    const { error } = await timed(() => orThrow(getIncident(soar)));
    seenErrors.push(error);
    expect(error).toBeInstanceOf(CloudSoarError);
    expect(error).toMatchObject({
      status: 404,
      method: 'GET',
      path: '/incidents/{id}/',
      operationId: 'incidents_retrieve',
      body: { error: 'Not found' },
    });
    // A Headers, holding only the kept ones: what a server sends back besides them never reaches a log.
    const { headers } = error as CloudSoarError;
    expect(headers).toBeInstanceOf(Headers);
    expect([headers.get('x-request-id'), headers.get('set-cookie')]).toEqual(['req-1', null]);
    expect(JSON.parse(JSON.stringify(error)).headers).toEqual({
      'content-type': 'application/json',
      'x-request-id': 'req-1',
    });
    expect(inspect(error)).toContain("'x-request-id': 'req-1'");
    for (const printed of [String(error), JSON.stringify(error), inspect(error, { depth: 10 })])
      expect(printed).not.toContain('session-secret');
  });
});

describe('secrets', () => {
  it('sends Basic credentials for SaaS', async () => {
    server.handle((_request, response) => json(response, 200, INCIDENT));
    await getIncident(
      client({ token: undefined, accessId: ACCESS_ID, accessKey: ACCESS_KEY } as Partial<CloudSoarClientOptions>),
    );
    expect(server.headers[0]?.authorization).toBe(
      `Basic ${Buffer.from(`${ACCESS_ID}:${ACCESS_KEY}`).toString('base64')}`,
    );
  });

  it('never appear in errors, their inspection or the inspected client', async () => {
    server.handle((request) => request.socket.destroy());
    const basic = client({
      token: undefined,
      accessId: ACCESS_ID,
      accessKey: ACCESS_KEY,
      retry: false,
    } as Partial<CloudSoarClientOptions>);
    seenErrors.push((await timed(() => getIncident(basic))).error);
    const outputs = [
      ...seenErrors.flatMap((error) => [
        String(error),
        (error as Error)?.stack ?? '',
        inspect(error, { depth: 10 }),
        JSON.stringify(error),
      ]),
      inspect(client(), { depth: 10, showHidden: true }),
      inspect(basic, { depth: 10, showHidden: true }),
    ].join('\n');
    expect(seenErrors.length).toBeGreaterThan(5);
    const base64 = Buffer.from(`${ACCESS_ID}:${ACCESS_KEY}`).toString('base64');
    for (const secret of [TOKEN, ACCESS_ID, ACCESS_KEY, base64]) expect(outputs).not.toContain(secret);
  });
});
