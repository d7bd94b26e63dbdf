import { inspect } from 'node:util';
import type { Middleware } from 'openapi-fetch';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CloudSoarArgumentError,
  CloudSoarConfigError,
  CloudSoarNetworkError,
  createCloudSoarClient,
} from '../../src/index.js';

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.eyJkYXRhIjp7InVzZXJJZCI6MX19.c2lnbmF0dXJl';

/** A fetch that records the request and answers with a fixed JSON body. */
function recordingFetch(body: unknown = { id: 1 }, status = 200) {
  const requests: Request[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    requests.push(new Request(input, init));
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

const BASE = 'https://soar.example.com/incmansuite_ng/api/v3';

/** A client whose fetch throws `failure` on every attempt, and how many attempts it made. */
function clientOnAFetchThatThrows(failure: Error, retry: { retries?: number; baseDelayMs: number }) {
  let attempts = 0;
  const fetch = (async () => {
    attempts++;
    throw failure;
  }) as typeof globalThis.fetch;
  return {
    soar: createCloudSoarClient({ baseUrl: BASE, token: TOKEN, rateLimit: false, fetch, retry }),
    attempts: () => attempts,
  };
}

/** A client on `baseUrl` whose fetch records the requests it is given. */
function recordingClient(baseUrl: string) {
  const { fetch, requests } = recordingFetch();
  return { client: createCloudSoarClient({ baseUrl, token: TOKEN, fetch }), requests };
}

/** The requests a client sends for one GET and one POST, as its fetch sees them. */
async function aGetAndAPost(): Promise<Request[]> {
  const { client, requests } = recordingClient(BASE);
  await client.GET('/incidents/{id}/', { params: { path: { id: 8508 } } });
  await client.POST('/incidents/search/', { body: { page_number: 1 } });
  return requests;
}

describe('createCloudSoarClient', () => {
  it('sends Authorization: Bearer <token> on every request', async () => {
    const requests = await aGetAndAPost();
    expect(requests.map((request) => request.headers.get('authorization'))).toEqual([
      `Bearer ${TOKEN}`,
      `Bearer ${TOKEN}`,
    ]);
  });

  it('sends a request body without asking fetch to keep a copy for redirects (undici would hold all of it in memory)', async () => {
    const requests = await aGetAndAPost();
    expect(requests.map((request) => request.redirect)).toEqual(['follow', 'error']);
  });

  it('joins the base URL and the spec path with exactly one slash, keeping the trailing slash', async () => {
    const { client, requests } = recordingClient('https://api.us2.sumologic.com/api/csoar/v3/');
    await client.GET('/incidents/{id}/', { params: { path: { id: 8508 } } });
    expect(requests[0]?.url).toBe('https://api.us2.sumologic.com/api/csoar/v3/incidents/8508/');
  });

  it.each([
    ['an empty base URL', { baseUrl: '', token: TOKEN }, 'baseUrl'],
    ['a relative base URL', { baseUrl: '/api/v3', token: TOKEN }, 'baseUrl'],
    ['a non-HTTP base URL', { baseUrl: 'ftp://soar.example.com', token: TOKEN }, 'baseUrl'],
    ['credentials in the base URL', { baseUrl: 'https://user:pw@soar.example.com', token: TOKEN }, 'baseUrl'],
    [
      'a token with a Bearer prefix',
      { baseUrl: 'https://soar.example.com', token: `Bearer ${TOKEN}` },
      'auth.token',
      /must be the bare API token/,
    ],
    // `token: process.env.CLOUDSOAR_TOKEN!` (the README's pattern) with the variable unset, or set empty.
    [
      'a token read from an unset environment variable',
      { baseUrl: 'https://soar.example.com', token: process.env.CLOUDSOAR_SURELY_UNSET_VARIABLE! },
      'auth.token',
      /^auth\.token: is undefined: is the environment variable it is read from unset\?/,
    ],
    [
      'an empty token',
      { baseUrl: 'https://soar.example.com', token: '' },
      'auth.token',
      /^auth\.token: is empty: is the environment variable it is read from set to an empty value\?/,
    ],
    [
      'an access key read from an unset environment variable',
      {
        baseUrl: 'https://soar.example.com',
        accessId: 'su-id',
        accessKey: process.env.CLOUDSOAR_SURELY_UNSET_VARIABLE!,
      },
      'auth.accessKey',
      /is undefined: is the environment variable/,
    ],
    [
      'an empty access id',
      { baseUrl: 'https://soar.example.com', accessId: '', accessKey: 'key' },
      'auth.accessId',
      /is empty/,
    ],
    [
      'no credentials',
      { baseUrl: 'https://soar.example.com' },
      'auth',
      /give a token \(Bearer\) or an accessId and accessKey \(Basic\)/,
    ],
  ])('rejects %s with a CloudSoarConfigError naming the option', (_label, options, option, message = /./) => {
    const attempt = () => createCloudSoarClient(options as never);
    expect(attempt).toThrow(CloudSoarConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as CloudSoarConfigError).option).toBe(option);
      expect((error as Error).message).toMatch(message);
      expect(String(error)).not.toContain(TOKEN);
    }
  });
});

describe('per-call fetch and middleware, as openapi-fetch documents them', () => {
  const client = (fetch = recordingFetch().fetch) =>
    createCloudSoarClient({
      baseUrl: 'https://soar.example.com/incmansuite_ng/api/v3',
      token: TOKEN,
      fetch,
      rateLimit: false,
    });

  it('sends a call through a per-call fetch, with the client’s headers', async () => {
    const own = recordingFetch({ id: 2 });
    const { data } = await client().GET('/incidents/{id}/', { params: { path: { id: 2 } }, fetch: own.fetch });
    expect(data).toEqual({ id: 2 });
    expect(own.requests.map((request) => request.headers.get('authorization'))).toEqual([`Bearer ${TOKEN}`]);
  });

  it('gives a middleware a real Request it can clone, and an options.fetch that keeps its headers', async () => {
    const { fetch, requests } = recordingFetch({ id: 3 });
    const soar = client(fetch);
    const cloned: string[] = [];
    soar.use({
      async onRequest({ request, options }) {
        cloned.push(await request.clone().text());
        // Send a rebuilt request through the client's own fetch and answer with what it got.
        return options.fetch(
          new Request(request, { headers: { ...Object.fromEntries(request.headers), 'X-Trace': 'abc' } }),
        );
      },
    });
    const { data } = await soar.POST('/incidents/search/', { body: { page_number: 1 } });
    expect(cloned).toEqual(['{"page_number":1}']);
    expect(data).toEqual({ id: 3 });
    expect(requests[0]?.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(requests[0]?.headers.get('x-trace')).toBe('abc');
    expect(await requests[0]?.text()).toBe('{"page_number":1}');
  });

  it('refuses middleware without hooks at use(), and hooks that return the wrong thing at the call, as CloudSoarArgumentErrors', async () => {
    expect(() => client().use({} as never)).toThrow(CloudSoarArgumentError);
    expect(() => client().use({} as never)).toThrow(/^middleware: Middleware must be an object/);
    const cases: [string, Middleware][] = [
      ['onRequest', { onRequest: () => 'nonsense' as never }],
      ['onResponse', { onResponse: () => 'nonsense' as never }],
    ];
    for (const [hook, middleware] of cases) {
      const soar = client();
      soar.use(middleware);
      await expect(soar.GET('/folders/'), hook).rejects.toThrow(new RegExp(`^middleware: ${hook}: must return`));
      await expect(soar.GET('/folders/'), hook).rejects.toBeInstanceOf(CloudSoarArgumentError);
    }
  });
});

describe("a fetch that checks its receiver, as browsers' and workerd's does", () => {
  /** Like Chromium's `fetch`: a TypeError for any `this` but the global (or none), before any network. */
  function receiverCheckingFetch() {
    const calls = { made: 0, refused: 0 };
    const answer = recordingFetch({ id: 7 }).fetch;
    const fetch = function (this: unknown, input: Request | string | URL, init?: RequestInit) {
      calls.made++;
      if (this !== undefined && this !== globalThis) {
        calls.refused++;
        return Promise.reject(new TypeError("Failed to execute 'fetch' on 'Window': Illegal invocation"));
      }
      return answer(input, init);
    };
    return { fetch: fetch as typeof globalThis.fetch, calls };
  }
  afterEach(() => vi.unstubAllGlobals());

  it('works as the default global fetch, as the client option and per call', async () => {
    const strict = receiverCheckingFetch();
    vi.stubGlobal('fetch', strict.fetch);
    const byDefault = createCloudSoarClient({ baseUrl: BASE, token: TOKEN, rateLimit: false });
    const byOption = createCloudSoarClient({ baseUrl: BASE, token: TOKEN, rateLimit: false, fetch: strict.fetch });
    expect((await byDefault.GET('/incidents/{id}/', { params: { path: { id: 7 } } })).data).toEqual({ id: 7 });
    expect((await byDefault.POST('/incidents/search/', { body: { page_number: 1 } })).data).toEqual({ id: 7 });
    expect((await byOption.GET('/folders/')).data).toEqual({ id: 7 });
    expect((await byOption.GET('/folders/', { fetch: strict.fetch })).data).toEqual({ id: 7 });
    expect(strict.calls).toEqual({ made: 4, refused: 0 });
  });

  it('does not retry a failure that is not the network: the error comes back as it was, after one attempt', async () => {
    const failures = [
      new TypeError("Failed to execute 'fetch' on 'Window': Illegal invocation"),
      new TypeError('Illegal invocation: function called with incorrect `this` reference.'),
      new RangeError('a bug in a fetch the caller gave'),
    ];
    for (const failure of failures) {
      const { soar, attempts } = clientOnAFetchThatThrows(failure, { baseDelayMs: 1 });
      await expect(soar.GET('/folders/'), failure.message).rejects.toBe(failure);
      expect(attempts(), failure.message).toBe(1);
    }
  });

  it('still retries what the network does to a fetch (a TypeError, as the Fetch standard says)', async () => {
    const { soar, attempts } = clientOnAFetchThatThrows(new TypeError('Failed to fetch'), {
      retries: 2,
      baseDelayMs: 1,
    });
    await expect(soar.GET('/folders/')).rejects.toBeInstanceOf(CloudSoarNetworkError);
    expect(attempts()).toBe(3);
  });
});

describe('a runtime that refuses redirect "error" (workerd)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('sends bodies with its defaults instead of failing every POST', async () => {
    class EdgeRequest extends Request {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        if (init?.redirect === 'error')
          throw new TypeError('Invalid redirect value, must be one of "follow" or "manual"');
        super(input, init);
      }
    }
    vi.stubGlobal('Request', EdgeRequest);
    vi.resetModules(); // the transport asks the runtime once per module instance
    const { createCloudSoarClient: createOnEdge } = await import('../../src/index.js');
    const { fetch, requests } = recordingFetch({ id: 9 });
    const soar = createOnEdge({
      baseUrl: 'https://soar.example.com/incmansuite_ng/api/v3',
      token: TOKEN,
      rateLimit: false,
      fetch,
    });
    expect((await soar.POST('/incidents/search/', { body: { page_number: 1 } })).data).toEqual({ id: 9 });
    expect(requests.map((request) => request.redirect)).toEqual(['follow']);
  });
});

describe('a network failure names no host or address', () => {
  const HOST = 'tenant-7.soar.example.com';
  const failures: [string, Error][] = [
    [
      'Node, a name that does not resolve',
      new TypeError('fetch failed', {
        cause: Object.assign(new Error(`getaddrinfo ENOTFOUND ${HOST}`), { code: 'ENOTFOUND' }),
      }),
    ],
    [
      'Node, a refused connection',
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED 10.20.30.40:443'), { code: 'ECONNREFUSED' }),
      }),
    ],
    [
      'Node, over IPv6',
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED [2001:db8::7]:443'), { code: 'ECONNREFUSED' }),
      }),
    ],
    [
      'Deno, the URL',
      new TypeError(
        `error sending request for url (https://${HOST}/incmansuite_ng/api/v3/incidents/1/): client error (Connect)`,
      ),
    ],
  ];
  it.each(failures)('%s', async (_runtime, failure) => {
    const soar = createCloudSoarClient({
      legacyHost: HOST,
      token: TOKEN,
      retry: false,
      rateLimit: false,
      fetch: async () => Promise.reject(failure),
    });
    const error = await soar
      .GET('/incidents/{id}/', { params: { path: { id: 1 } } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CloudSoarNetworkError);
    const shown = [
      String(error),
      inspect(error, { depth: 5 }),
      JSON.stringify(error),
      String((error as Error).cause),
    ].join('\n');
    for (const secret of [HOST, '10.20.30.40', '2001:db8::7', TOKEN]) expect(shown).not.toContain(secret);
    expect((error as Error).message).toMatch(/failed after 1 attempt: /);
    const code = (failure.cause as { code?: string } | undefined)?.code;
    if (code) expect((error as { cause: { code?: string } }).cause.code).toBe(code);
  });
});
