// openapi-fetch's interface (its `Client<paths>` type, serializers and middleware contract), dispatched
// here instead of by its createClient: that function's per-call work measured ~8 µs, about 9 % of a
// loopback request, and its bundle 2.6 kB gzipped against 1.3 kB for the serializers alone (bench/).
// tests/unit/openapi-fetch-parity.test.ts runs the same calls through both and compares what is sent
// and what is returned, so behaviour stays openapi-fetch's.
import {
  createFinalURL,
  createQuerySerializer,
  defaultBodySerializer,
  defaultPathSerializer,
  mergeHeaders,
  type Middleware,
  type PathSerializer,
  type QuerySerializer,
  type QuerySerializerOptions,
} from 'openapi-fetch';
import { CloudSoarArgumentError } from './errors.js';
import { PreparedRequest, type CallContext } from './transport.js';

type HeaderValues = Record<string, string | number | boolean | (string | number | boolean)[] | null | undefined>;

/** What a client method accepts at run time (the generated types say which keys each path takes). */
interface CallInit extends Omit<RequestInit, 'headers' | 'body'> {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown>; header?: HeaderValues; cookie?: Record<string, unknown> };
  body?: unknown;
  headers?: HeadersInit | HeaderValues;
  parseAs?: CallContext['parseAs'];
  baseUrl?: string;
  querySerializer?: QuerySerializer<unknown> | QuerySerializerOptions;
  bodySerializer?: (body: unknown, headers?: Headers) => unknown;
  pathSerializer?: PathSerializer;
  middleware?: Middleware[];
  fetch?: unknown;
  Request?: unknown;
}

export interface CallResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** Keys a call reads itself; any other key is RequestInit and goes to fetch as is. */
const OWN_KEYS = new Set(['params', 'body', 'headers', 'parseAs', 'baseUrl', 'querySerializer', 'bodySerializer', 'pathSerializer', 'middleware', 'signal', 'redirect', 'method']);
const JSON_CONTENT_TYPE = { 'Content-Type': 'application/json' };
const defaultQuerySerializer = createQuerySerializer();

export interface DispatcherOptions {
  baseUrl: string;
  headers: HeaderValues;
  /** Sends a built request and returns the answer (the client's transport). */
  send: (request: PreparedRequest) => Promise<Response>;
  /** Reads the answer into `{ data }` or `{ error }`. */
  read: (response: Response, request: PreparedRequest) => Promise<CallResult>;
}

/** The methods of openapi-fetch's `Client`, over the client's transport. */
export function createDispatcher({ baseUrl, headers: baseHeaders, send, read }: DispatcherOptions) {
  const globalMiddleware: Middleware[] = [];
  // The headers of a call that adds none: merged once, as mergeHeaders would merge them each time.
  const fixedHeaders: Record<string, string> = {};
  mergeHeaders(baseHeaders).forEach((value, name) => (fixedHeaders[name] = value));
  Object.freeze(fixedHeaders);

  async function call(method: string, schemaPath: string, init: CallInit = {}): Promise<CallResult> {
    if (init.fetch !== undefined || init.Request !== undefined) {
      throw new CloudSoarArgumentError(init.fetch !== undefined ? 'fetch' : 'Request', 'cannot be set per call: retries, timeouts and rate limits wrap the client-wide fetch; pass it to createCloudSoarClient');
    }
    const params = init.params ?? {};
    const parseAs = init.parseAs ?? 'json';
    const callBaseUrl = init.baseUrl ? init.baseUrl.replace(/\/$/, '') : baseUrl;
    const querySerializer =
      typeof init.querySerializer === 'function' ? init.querySerializer : init.querySerializer ? createQuerySerializer(init.querySerializer) : defaultQuerySerializer;
    const bodySerializer = init.bodySerializer ?? (defaultBodySerializer as (body: unknown, headers?: Headers) => unknown);
    const pathSerializer = init.pathSerializer ?? defaultPathSerializer;
    const body = init.body === undefined ? undefined : bodySerializer(init.body, mergeHeaders(baseHeaders, init.headers, params.header));
    // As openapi-fetch: JSON bodies default to application/json, which any header given may override or unset.
    const headers =
      body === undefined && init.headers === undefined && params.header === undefined
        ? fixedHeaders
        : mergeHeaders(body === undefined || body instanceof FormData ? {} : JSON_CONTENT_TYPE, baseHeaders, init.headers, params.header);
    let extra: Record<string, unknown> | undefined;
    for (const key in init) if (!OWN_KEYS.has(key)) (extra ??= {} as Record<string, unknown>)[key] = init[key as keyof CallInit];
    const context: CallContext = { schemaPath, parseAs };
    const url = createFinalURL(schemaPath, { baseUrl: callBaseUrl, params, querySerializer: querySerializer as QuerySerializer<unknown>, pathSerializer });
    let request = new PreparedRequest(url, { method, headers, body: body as BodyInit | undefined, signal: init.signal ?? null, redirect: init.redirect ?? 'follow', extra: extra as RequestInit | undefined }, context);

    const middleware = init.middleware?.length ? [...globalMiddleware, ...init.middleware] : globalMiddleware;
    let response: Response | undefined;
    if (middleware.length === 0) {
      response = await send(request);
    } else {
      const id = Math.random().toString(36).slice(2, 11);
      const options = Object.freeze({ baseUrl: callBaseUrl, fetch: send, parseAs, querySerializer, bodySerializer, pathSerializer });
      const hook = { schemaPath, params, options, id } as const;
      for (const m of middleware) {
        if (typeof m?.onRequest !== 'function') continue;
        const result: unknown = await m.onRequest({ request: request as unknown as Request, ...hook } as never);
        if (result === undefined) continue;
        if (result instanceof Response) {
          response = result;
          break;
        }
        request = await adopt(result, context);
      }
      if (!response) {
        try {
          response = await send(request);
        } catch (failure) {
          let error: unknown = failure;
          for (let i = middleware.length - 1; i >= 0; i--) {
            const onError = middleware[i]?.onError;
            if (typeof onError !== 'function') continue;
            const result: unknown = await onError({ request: request as unknown as Request, error, ...hook } as never);
            if (result instanceof Response) {
              error = undefined;
              response = result;
              break;
            }
            if (result instanceof Error) error = result;
            else if (result !== undefined) throw new CloudSoarArgumentError('middleware', 'onError must return a Response, an Error or nothing');
          }
          if (!response) throw error;
        }
        for (let i = middleware.length - 1; i >= 0; i--) {
          const onResponse = middleware[i]?.onResponse;
          if (typeof onResponse !== 'function') continue;
          const result: unknown = await onResponse({ request: request as unknown as Request, response, ...hook } as never);
          if (result === undefined) continue;
          if (!(result instanceof Response)) throw new CloudSoarArgumentError('middleware', 'onResponse must return a Response or nothing');
          response = result;
        }
      }
    }
    return read(response, request);
  }

  const client: Record<string, unknown> = {
    request: (method: string, path: string, init?: CallInit) => call(method.toUpperCase(), path, init),
    use(...middleware: Middleware[]) {
      for (const m of middleware) {
        if (!m) continue;
        if (typeof m !== 'object' || !('onRequest' in m || 'onResponse' in m || 'onError' in m)) {
          throw new CloudSoarArgumentError('middleware', 'must be an object with onRequest(), onResponse() or onError()');
        }
        globalMiddleware.push(m);
      }
    },
    eject(...middleware: Middleware[]) {
      for (const m of middleware) {
        const index = globalMiddleware.indexOf(m);
        if (index !== -1) globalMiddleware.splice(index, 1);
      }
    },
  };
  for (const method of ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE']) {
    client[method] = (path: string, init?: CallInit) => call(method, path, init);
  }
  return client;
}

/** A request an onRequest middleware returned: the client's own, or a platform Request (body read once). */
async function adopt(result: unknown, context: CallContext): Promise<PreparedRequest> {
  if (result instanceof PreparedRequest) return result.call ? result : new PreparedRequest(result.url, { ...result, headers: result.headersInit }, context);
  if (typeof Request !== 'undefined' && result instanceof Request) {
    const body = result.body === null ? null : await result.arrayBuffer();
    return new PreparedRequest(result.url, { method: result.method, headers: result.headers, body, signal: result.signal, redirect: result.redirect }, context);
  }
  throw new CloudSoarArgumentError('middleware', 'onRequest must return a Request, a Response or nothing');
}
