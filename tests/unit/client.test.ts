import { describe, expect, it } from 'vitest';
import type { Middleware } from 'openapi-fetch';
import { CloudSoarArgumentError, CloudSoarConfigError, createCloudSoarClient } from '../../src/index.js';

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

describe('createCloudSoarClient', () => {
  it('sends Authorization: Bearer <token> on every request', async () => {
    const { fetch, requests } = recordingFetch();
    const client = createCloudSoarClient({ baseUrl: 'https://soar.example.com/incmansuite_ng/api/v3', token: TOKEN, fetch });
    await client.GET('/incidents/{id}/', { params: { path: { id: 8508 } } });
    await client.POST('/incidents/search/', { body: { page_number: 1 } });
    expect(requests.map((request) => request.headers.get('authorization'))).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it('sends a request body without asking fetch to keep a copy for redirects (undici would hold all of it in memory)', async () => {
    const { fetch, requests } = recordingFetch();
    const client = createCloudSoarClient({ baseUrl: 'https://soar.example.com/incmansuite_ng/api/v3', token: TOKEN, fetch });
    await client.GET('/incidents/{id}/', { params: { path: { id: 8508 } } });
    await client.POST('/incidents/search/', { body: { page_number: 1 } });
    expect(requests.map((request) => request.redirect)).toEqual(['follow', 'error']);
  });

  it('joins the base URL and the spec path with exactly one slash, keeping the trailing slash', async () => {
    const { fetch, requests } = recordingFetch();
    const client = createCloudSoarClient({ baseUrl: 'https://api.us2.sumologic.com/api/csoar/v3/', token: TOKEN, fetch });
    await client.GET('/incidents/{id}/', { params: { path: { id: 8508 } } });
    expect(requests[0]?.url).toBe('https://api.us2.sumologic.com/api/csoar/v3/incidents/8508/');
  });

  it.each([
    ['an empty base URL', { baseUrl: '', token: TOKEN }, 'baseUrl'],
    ['a relative base URL', { baseUrl: '/api/v3', token: TOKEN }, 'baseUrl'],
    ['a non-HTTP base URL', { baseUrl: 'ftp://soar.example.com', token: TOKEN }, 'baseUrl'],
    ['credentials in the base URL', { baseUrl: 'https://user:pw@soar.example.com', token: TOKEN }, 'baseUrl'],
    ['a token with a Bearer prefix', { baseUrl: 'https://soar.example.com', token: `Bearer ${TOKEN}` }, 'auth.token', /must be the bare API token/],
    // `token: process.env.CLOUDSOAR_TOKEN!` (the README's pattern) with the variable unset, or set empty.
    ['a token read from an unset environment variable', { baseUrl: 'https://soar.example.com', token: process.env.CLOUDSOAR_SURELY_UNSET_VARIABLE! }, 'auth.token', /^auth\.token: is undefined: is the environment variable it is read from unset\?/],
    ['an empty token', { baseUrl: 'https://soar.example.com', token: '' }, 'auth.token', /^auth\.token: is empty: is the environment variable it is read from set to an empty value\?/],
    ['an access key read from an unset environment variable', { baseUrl: 'https://soar.example.com', accessId: 'su-id', accessKey: process.env.CLOUDSOAR_SURELY_UNSET_VARIABLE! }, 'auth.accessKey', /is undefined: is the environment variable/],
    ['an empty access id', { baseUrl: 'https://soar.example.com', accessId: '', accessKey: 'key' }, 'auth.accessId', /is empty/],
    ['no credentials', { baseUrl: 'https://soar.example.com' }, 'auth', /give a token \(Bearer\) or an accessId and accessKey \(Basic\)/],
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
  const client = (fetch = recordingFetch().fetch) => createCloudSoarClient({ baseUrl: 'https://soar.example.com/incmansuite_ng/api/v3', token: TOKEN, fetch, rateLimit: false });

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
        return options.fetch(new Request(request, { headers: { ...Object.fromEntries(request.headers), 'X-Trace': 'abc' } }));
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
