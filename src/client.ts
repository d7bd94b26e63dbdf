import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/schema.js';
import { authorizationHeader, type TokenAuth } from './auth.js';
import { CloudSoarConfigError } from './errors.js';

export type CloudSoarPaths = paths;
export type CloudSoarClient = Client<paths>;

export interface CloudSoarClientOptions extends TokenAuth {
  /**
   * Base URL up to and including `/v3`, e.g. `https://soar.example.com/incmansuite_ng/api/v3`
   * or `https://api.us2.sumologic.com/api/csoar/v3`. For a Prism mock, its root URL.
   */
  baseUrl: string;
  /** A fetch implementation; defaults to the global one. */
  fetch?: typeof globalThis.fetch;
}

function normaliseBaseUrl(baseUrl: unknown): string {
  if (typeof baseUrl !== 'string' || baseUrl.length === 0) {
    throw new CloudSoarConfigError('baseUrl', 'must be a URL string such as https://soar.example.com/incmansuite_ng/api/v3');
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new CloudSoarConfigError('baseUrl', `is not an absolute URL: ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CloudSoarConfigError('baseUrl', `must use http or https, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new CloudSoarConfigError('baseUrl', 'must not carry credentials; pass them as options');
  }
  // The spec's paths start with "/", so the base must not end with one ("…/v3" + "/incidents/").
  return url.href.replace(/\/+$/, '');
}

/** Creates a client typed by the generated description of the Cloud SOAR v3 API. */
export function createCloudSoarClient(options: CloudSoarClientOptions): CloudSoarClient {
  if (typeof options !== 'object' || options === null) {
    throw new CloudSoarConfigError('options', 'must be an object with baseUrl and token');
  }
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const authorization = authorizationHeader(options);
  const client = createClient<paths>({ baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const auth: Middleware = {
    onRequest({ request }) {
      request.headers.set('Authorization', authorization);
      return request;
    },
  };
  client.use(auth);
  return client;
}
