// The in-process limits: lanes (concurrency) handed out in order and held until a body is read,
// the rate schedule and the server's pause, on an injected clock where time matters.
import { describe, expect, it, vi } from 'vitest';
import { createCloudSoarClient } from '../../src/index.js';
import { type Lease, type LimiterClock, localLimiter } from '../../src/limits.js';

const TOKEN = 'limits-unit-test-token';

/** A clock that only moves when a sleeper is due: sleeps resolve in time order, instantly. */
function fakeClock(): LimiterClock & { starts: number[] } {
  let now = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  let scheduled = false;
  const advance = () => {
    scheduled = false;
    sleepers.sort((a, b) => a.at - b.at);
    const next = sleepers.shift();
    if (!next) return;
    now = next.at;
    next.wake();
    schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(advance, 0);
  };
  return {
    starts: [],
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        sleepers.push({ at: now + ms, wake: resolve });
        schedule();
      }),
  };
}

describe('the in-process limiter', () => {
  it('spaces starts by 1/rate, and a pause from the server moves every booked start past it', async () => {
    const clock = fakeClock();
    const limiter = localLimiter({ requestsPerSecond: 4, burst: 1, maxConcurrent: Infinity }, clock);
    const starts: number[] = [];
    const go = async () => {
      (await limiter.acquire()).release();
      starts.push(clock.now());
    };
    const first = Promise.all([go(), go(), go()]);
    await first;
    expect(starts).toEqual([0, 250, 500]);
    const later = Promise.all([go(), go()]); // booked for 750 and 1000
    limiter.coolDown(2_000); // at 500: nobody starts before 2500
    await later;
    expect(starts.slice(3)).toEqual([2_500, 2_750]);
  });

  it('hands out lanes first come, first served, and not past maxConcurrent; an aborted wait leaves the queue', async () => {
    const limiter = localLimiter({ requestsPerSecond: 1e6, burst: 1e6, maxConcurrent: 2 });
    const order: string[] = [];
    const take = (name: string, signal?: AbortSignal) =>
      Promise.resolve(limiter.acquire(signal)).then((lease) => {
        order.push(name);
        return lease;
      });
    const [a, b] = await Promise.all([take('a'), take('b')]);
    const aborted = new AbortController();
    const c = take('c');
    const gone = take('gone', aborted.signal).catch((error: Error) => error.name);
    const d = take('d');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(['a', 'b']);
    aborted.abort();
    expect(await gone).toBe('AbortError');
    a!.release();
    a!.release(); // a second release gives nothing back twice
    await c;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual(['a', 'b', 'c']);
    b!.release();
    ((await d) as Lease).release();
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });
});

/** A fetch whose answers wait until the test lets them go; counts what is in flight. */
function heldFetch() {
  const pending: (() => void)[] = [];
  let calls = 0;
  const fetch = (async () => {
    calls++;
    await new Promise<void>((resolve) => pending.push(resolve));
    return new Response('{"id":1}', { headers: { 'Content-Type': 'application/json' } });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, pending, calls: () => calls };
}
// A moment for anything that could go wrong to happen: only "nothing more was sent" is checked after it.
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
// What must happen is awaited as a condition, not after a fixed moment (the first call also loads
// the argument guard, which a loaded machine can take far longer than a tick to do).
const until = (condition: () => void) => vi.waitFor(condition, { timeout: 60_000, interval: 5 });

describe('the client holds at most maxConcurrent requests in flight per credential', () => {
  it('the 11th request waits until an answer has been read (default 10)', async () => {
    const held = heldFetch();
    const client = createCloudSoarClient({
      baseUrl: 'https://soar.example.com',
      token: `${TOKEN}-a`,
      fetch: held.fetch,
      rateLimit: { requestsPerSecond: 1e6 },
    });
    const calls = Array.from({ length: 12 }, () => client.GET('/incidents/{id}/', { params: { path: { id: 1 } } }));
    await until(() => expect(held.calls()).toBe(10));
    await tick();
    expect(held.calls()).toBe(10); // and no 11th while every lane is held
    held.pending.shift()!();
    await calls[0];
    await until(() => expect(held.calls()).toBe(11));
    for (let i = 0; i < 11; i++) {
      await until(() => expect(held.pending.length).toBeGreaterThan(0));
      held.pending.shift()!();
    }
    expect((await Promise.all(calls)).map(({ response }) => response.status)).toEqual(Array(12).fill(200));
  });

  it('a streamed body holds its lane until it is read to the end or cancelled', async () => {
    const answers: Response[] = [];
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return new Response(new Blob(['x'.repeat(100_000)]).stream(), {
        headers: { 'Content-Type': 'application/octet-stream' },
      });
    }) as unknown as typeof globalThis.fetch;
    const client = createCloudSoarClient({
      baseUrl: 'https://soar.example.com',
      token: `${TOKEN}-b`,
      fetch,
      rateLimit: { requestsPerSecond: 1e6, maxConcurrent: 1 },
    });
    const download = () => client.GET('/incidents/{id}/', { params: { path: { id: 1 } }, parseAs: 'stream' });
    const first = await download();
    answers.push(first.response);
    const second = download();
    await tick();
    expect(calls).toBe(1); // the first body is unread: its lane is taken
    expect(await new Response(first.data as ReadableStream).text()).toHaveLength(100_000);
    const { data } = await second;
    expect(calls).toBe(2);
    const third = download();
    await tick();
    expect(calls).toBe(2);
    await (data as ReadableStream).cancel();
    await third.then(({ data }) => (data as ReadableStream).cancel());
    expect(calls).toBe(3);
  });

  it('rejects a maxConcurrent that is not a whole number above 0', () => {
    for (const maxConcurrent of [0, 2.5, -1, Number.NaN]) {
      expect(() =>
        createCloudSoarClient({ baseUrl: 'https://soar.example.com', token: TOKEN, rateLimit: { maxConcurrent } }),
      ).toThrow(/^rateLimit\.maxConcurrent: must be a whole number above 0/);
    }
  });
});
