// The client dispatches openapi-fetch's interface itself (src/request.ts). Here every kind of call
// goes through both it and openapi-fetch's own createClient, over the same recording fetch: what is
// sent (URL, method, headers, body, request options) and what the call returns must be the same.
import createClient, { type Middleware } from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import { createCloudSoarClient } from '../../src/index.js';

const BASE = 'http://soar.test/incmansuite_ng/api/v3';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

type Answer = () => Response;
type Sent = { url: string; method: string; headers: [string, string][]; body: string; redirect: string; cache: string; credentials: string };
type Loose = Record<'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH', (path: string, init?: Record<string, unknown>) => Promise<Record<string, unknown>>> & {
  use: (...m: Middleware[]) => void;
  eject: (...m: Middleware[]) => void;
};

/** A fetch that records what it is asked for (as a platform Request, so both sides compare alike). */
function recorder(answer: Answer) {
  const sent: Sent[] = [];
  const fetch = async (input: Request | string, init?: RequestInit) => {
    const request = typeof input === 'string' ? new Request(input, init) : input;
    const body = request.body === null ? '' : await request.text();
    const boundary = /boundary=([^;]+)/.exec(request.headers.get('content-type') ?? '')?.[1];
    const unbound = (text: string) => (boundary ? text.replaceAll(boundary, 'BOUNDARY') : text);
    sent.push({
      url: request.url,
      method: request.method,
      headers: [...request.headers].map(([name, value]) => [name, unbound(value)]),
      body: unbound(body),
      redirect: request.redirect,
      cache: request.cache,
      credentials: request.credentials,
    });
    if (answer === failing) throw new TypeError('fetch failed');
    return answer();
  };
  return { sent, fetch };
}
const failing: Answer = () => {
  throw new Error('not called');
};

function pair(answer: Answer) {
  const ours = recorder(answer);
  const theirs = recorder(answer);
  const client = createCloudSoarClient({ baseUrl: BASE, token: 'tok', retry: false, rateLimit: false, timeoutMs: false, fetch: ours.fetch as typeof fetch }) as unknown as Loose;
  const reference = createClient({ baseUrl: BASE, headers: { Authorization: 'Bearer tok' }, fetch: theirs.fetch as (input: Request) => Promise<Response> }) as unknown as Loose;
  return { client, reference, ours: ours.sent, theirs: theirs.sent };
}

/** What a call returned, with bodies read so that both sides can be compared. */
async function settled(result: Record<string, unknown>) {
  const response = result.response as Response;
  const read = async (value: unknown) =>
    value instanceof Blob ? `blob:${value.type}:${await value.text()}` : value instanceof ArrayBuffer ? `bytes:${new TextDecoder().decode(value)}` : value instanceof ReadableStream ? `stream:${await new Response(value).text()}` : value;
  return { keys: Object.keys(result).sort(), data: await read(result.data), error: await read(result.error), status: response.status };
}

async function expectSame(answer: Answer, call: (client: Loose) => Promise<Record<string, unknown>>, setup?: (client: Loose) => void) {
  const { client, reference, ours, theirs } = pair(answer);
  setup?.(client);
  setup?.(reference);
  const [mine, expected] = [await settled(await call(client)), await settled(await call(reference))];
  expect(ours).toEqual(theirs);
  expect(ours.length).toBeGreaterThan(0);
  expect(mine).toEqual(expected);
  return { sent: ours, result: mine };
}

const ok = (body: unknown = { id: 8508 }): Answer => () => new Response(JSON.stringify(body), { headers: JSON_HEADERS });

describe('requests are built as openapi-fetch builds them', () => {
  const cases: [string, (client: Loose) => Promise<Record<string, unknown>>][] = [
    ['a path parameter', (c) => c.GET('/incidents/{id}/', { params: { path: { id: 8508 } } })],
    ['a path parameter needing escapes', (c) => c.GET('/incidents/{id}/', { params: { path: { id: 'a b/ç?' } } })],
    ['query arrays, objects, nulls and escapes', (c) => c.GET('/incidents/', { params: { query: { status: ['Open', 'In progress'], filter: { a: 1, b: 'x y' }, gone: null, q: 'a&b=c' } } })],
    ['a query serializer given as options', (c) => c.GET('/incidents/', { params: { query: { ids: [1, 2] } }, querySerializer: { array: { style: 'pipeDelimited', explode: false } } })],
    ['a query serializer given as a function', (c) => c.GET('/incidents/', { params: { query: { a: 1 } }, querySerializer: () => 'fixed=1' })],
    ['a path serializer', (c) => c.GET('/incidents/{id}/', { params: { path: { id: 1 } }, pathSerializer: (path: string) => path.replace('{id}', 'custom') })],
    ['a JSON body', (c) => c.POST('/incidents/search/', { body: { page_number: 1, filter: { status: ['Open'] } } })],
    ['a JSON body with a header that overrides its Content-Type', (c) => c.POST('/incidents/', { body: { a: 1 }, headers: { 'Content-Type': 'application/vnd.api+json' } })],
    ['a form-urlencoded body', (c) => c.POST('/incidents/', { body: { a: '1', b: 'x y' }, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })],
    ['a multipart body', (c) => {
      const form = new FormData();
      form.append('attachment', new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
      form.append('description', 'note');
      return c.POST('/incidents/{id}/attachments/', { params: { path: { id: 1 } }, body: form });
    }],
    ['a body serializer', (c) => c.PUT('/incidents/{id}/', { params: { path: { id: 1 } }, body: { a: 1 }, bodySerializer: (body: unknown) => `<x>${JSON.stringify(body)}</x>` })],
    ['headers per call, in params and unset with null', (c) => c.GET('/incidents/{id}/', { params: { path: { id: 1 }, header: { 'X-Param': 'p' } }, headers: { 'X-Call': ['a', 'b'], Authorization: null } })],
    ['a Headers object per call', (c) => c.DELETE('/incidents/{id}/', { params: { path: { id: 1 } }, headers: new Headers({ 'X-Call': 'h' }) })],
    ['a base URL per call', (c) => c.GET('/folders/', { baseUrl: 'http://other.test/api/v3/' })],
    ['request options for fetch', (c) => c.GET('/folders/', { cache: 'no-store', credentials: 'include', redirect: 'manual' })],
    ['PATCH and HEAD', async (c) => ({ patch: await c.PATCH('/incidents/{id}/', { params: { path: { id: 1 } }, body: { a: 1 } }), ...(await c.HEAD('/folders/')) })],
  ];
  for (const [name, call] of cases) {
    it(name, async () => {
      await expectSame(ok(), call);
    });
  }
});

describe('answers are read as openapi-fetch reads them', () => {
  const text = (body: string | null, init: ResponseInit): Answer => () => new Response(body, init);
  const cases: [string, Answer, (client: Loose) => Promise<Record<string, unknown>>][] = [
    ['JSON', ok({ id: 1, nested: { a: [1] } }), (c) => c.GET('/folders/')],
    ['204', text(null, { status: 204 }), (c) => c.DELETE('/incidents/{id}/', { params: { path: { id: 1 } } })],
    ['an empty 200 with Content-Length 0', text('', { headers: { 'Content-Length': '0', ...JSON_HEADERS } }), (c) => c.GET('/folders/')],
    ['JSON without a length (chunked)', () => new Response(new Blob([JSON.stringify({ a: 1 })]).stream(), { headers: JSON_HEADERS }), (c) => c.GET('/folders/')],
    ['an empty body without a length', () => new Response(new Blob([]).stream(), { headers: JSON_HEADERS }), (c) => c.GET('/folders/')],
    ['a JSON error', text(JSON.stringify({ error: 'Not found', description: 'No incident 9' }), { status: 404, headers: JSON_HEADERS }), (c) => c.GET('/incidents/{id}/', { params: { path: { id: 9 } } })],
    ['a plain-text error', text('Bad gateway', { status: 502, headers: { 'Content-Type': 'text/plain' } }), (c) => c.GET('/folders/')],
    ['an error with no body', text('', { status: 401, headers: { 'Content-Length': '0' } }), (c) => c.GET('/folders/')],
    ['parseAs text', text('plain', { headers: { 'Content-Type': 'text/plain' } }), (c) => c.GET('/folders/', { parseAs: 'text' })],
    ['parseAs blob', text('bytes', { headers: { 'Content-Type': 'application/octet-stream' } }), (c) => c.GET('/folders/', { parseAs: 'blob' })],
    ['parseAs arrayBuffer', text('bytes', { headers: { 'Content-Type': 'application/octet-stream' } }), (c) => c.GET('/folders/', { parseAs: 'arrayBuffer' })],
    ['parseAs stream', text('streamed', { headers: { 'Content-Type': 'application/octet-stream' } }), (c) => c.GET('/folders/', { parseAs: 'stream' })],
    ['parseAs text on an error', text(JSON.stringify({ error: 'x' }), { status: 400, headers: JSON_HEADERS }), (c) => c.GET('/folders/', { parseAs: 'text' })],
  ];
  for (const [name, answer, call] of cases) {
    it(name, async () => {
      await expectSame(answer, call);
    });
  }
});

describe('middleware runs as in openapi-fetch', () => {
  const seen: unknown[] = [];
  const tracer: Middleware = {
    onRequest({ request, schemaPath, params }) {
      seen.push({ schemaPath, params });
      request.headers.set('X-Trace', 'abc');
    },
  };

  it('onRequest edits the request and sees the spec path and params', async () => {
    seen.length = 0;
    const { sent } = await expectSame(ok(), (c) => c.GET('/incidents/{id}/', { params: { path: { id: 7 } } }), (c) => c.use(tracer));
    expect(sent[0]?.headers).toContainEqual(['x-trace', 'abc']);
    expect(seen).toEqual([
      { schemaPath: '/incidents/{id}/', params: { path: { id: 7 } } },
      { schemaPath: '/incidents/{id}/', params: { path: { id: 7 } } },
    ]);
  });

  it('onRequest may return a new platform Request', async () => {
    const replace: Middleware = { onRequest: ({ request }) => new Request(`${request.url}?replaced=1`, { method: 'POST', headers: { 'X-New': '1' }, body: 'b' }) };
    const { sent } = await expectSame(ok(), (c) => c.GET('/folders/'), (c) => c.use(replace));
    expect(sent[0]).toMatchObject({ url: `${BASE}/folders/?replaced=1`, method: 'POST', body: 'b' });
  });

  it('onRequest may answer instead of the server', async () => {
    const cached: Middleware = { onRequest: () => new Response(JSON.stringify({ cached: true }), { headers: JSON_HEADERS }) };
    const { client, reference, ours, theirs } = pair(ok());
    client.use(cached);
    reference.use(cached);
    expect(await settled(await client.GET('/folders/'))).toEqual(await settled(await reference.GET('/folders/')));
    expect([ours.length, theirs.length]).toEqual([0, 0]);
  });

  it('onResponse runs last-added first and may replace the answer', async () => {
    const order: string[] = [];
    const first: Middleware = { onResponse: () => void order.push('first') };
    const second: Middleware = {
      onResponse: ({ response }) => {
        order.push('second');
        return new Response(JSON.stringify({ status: response.status }), { headers: JSON_HEADERS });
      },
    };
    const { result } = await expectSame(ok(), (c) => c.GET('/folders/'), (c) => c.use(first, second));
    expect(result.data).toEqual({ status: 200 });
    expect(order).toEqual(['second', 'first', 'second', 'first']);
  });

  it('onError may turn a failed fetch into an answer', async () => {
    const recover: Middleware = { onError: () => new Response(JSON.stringify({ offline: true }), { headers: JSON_HEADERS }) };
    const { result } = await expectSame(failing, (c) => c.GET('/folders/'), (c) => c.use(recover));
    expect(result.data).toEqual({ offline: true });
  });

  it('middleware given per call, and eject', async () => {
    const { sent } = await expectSame(ok(), async (c) => {
      c.use(tracer);
      c.eject(tracer);
      return c.GET('/folders/', { middleware: [tracer] });
    });
    expect(sent[0]?.headers).toContainEqual(['x-trace', 'abc']);
  });
});
