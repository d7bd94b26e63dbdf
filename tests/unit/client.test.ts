import { describe, expect, it } from 'vitest';
import type { Middleware } from 'openapi-fetch';
import { CloudSoarArgumentError, CloudSoarConfigError, createCloudSoarClient } from '../../src/index.js';

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.eyJkYXRhIjp7InVzZXJJZCI6MX19.c2lnbmF0dXJl';

/** A fetch that records the request and answers with a fixed JSON body. */
function recordingFetch(body: unknown = { id: 1 }, status = 200) {
  const requests: Request[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    requests.push(input instanceof Request ? input : new Request(input, init));
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
    ['an empty token', { baseUrl: 'https://soar.example.com', token: '' }, 'auth.token'],
    ['a token with a Bearer prefix', { baseUrl: 'https://soar.example.com', token: `Bearer ${TOKEN}` }, 'auth.token'],
  ])('rejects %s with a CloudSoarConfigError naming the option', (_label, options, option) => {
    const attempt = () => createCloudSoarClient(options);
    expect(attempt).toThrow(CloudSoarConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as CloudSoarConfigError).option).toBe(option);
      expect(String(error)).not.toContain(TOKEN);
    }
  });
});

describe('misuse of a call or of middleware', () => {
  const client = () => createCloudSoarClient({ baseUrl: 'https://soar.example.com/incmansuite_ng/api/v3', token: TOKEN, fetch: recordingFetch().fetch, rateLimit: false });

  it('refuses a per-call fetch or Request, naming it (retries and timeouts wrap the client fetch)', async () => {
    for (const option of ['fetch', 'Request'] as const) {
      const call = client().GET('/folders/', { [option]: () => undefined } as never);
      await expect(call).rejects.toThrow(CloudSoarArgumentError);
      await expect(call).rejects.toThrow(new RegExp(`^${option}: is set on createCloudSoarClient, not per call$`));
    }
  });

  it('refuses middleware without hooks at use(), and hooks that return the wrong thing at the call', async () => {
    expect(() => client().use({} as never)).toThrow(/^middleware: must be an object with onRequest\(\), onResponse\(\) or onError\(\)$/);
    const cases: [string, Middleware, RegExp][] = [
      ['onRequest', { onRequest: () => 'nonsense' as never }, /onRequest must return a Request, a Response or nothing/],
      ['onResponse', { onResponse: () => 'nonsense' as never }, /onResponse must return a Response or nothing/],
    ];
    for (const [hook, middleware, message] of cases) {
      const soar = client();
      soar.use(middleware);
      await expect(soar.GET('/folders/'), hook).rejects.toThrow(message);
      await expect(soar.GET('/folders/'), hook).rejects.toBeInstanceOf(CloudSoarArgumentError);
    }
  });
});
