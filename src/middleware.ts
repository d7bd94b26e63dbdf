// openapi-fetch's middleware contract, run around the client's transport. Loaded on the first call
// that has middleware (src/request.ts), so clients without any do not carry it. It imports nothing
// at run time: what it needs from the client comes in `kit`, so the bundle keeps it a standalone
// chunk instead of moving shared code into a third file.
import type { Middleware } from 'openapi-fetch';
import type { PreparedRequest } from './transport.js';

export interface MiddlewareKit {
  Prepared: typeof PreparedRequest;
  /** A CloudSoarArgumentError naming `middleware`. */
  misuse: (message: string) => Error;
}

/** What every middleware callback gets besides the request: as openapi-fetch passes it. */
interface Hook {
  schemaPath: string;
  params: unknown;
  options: object;
  id?: string;
}

/** onRequest in order (each may replace the request or answer), the send, then onError/onResponse in reverse. */
export async function runMiddleware(
  middleware: Middleware[],
  request: PreparedRequest,
  hook: Hook,
  send: (request: PreparedRequest) => Promise<Response>,
  kit: MiddlewareKit,
): Promise<{ request: PreparedRequest; response: Response }> {
  hook.options = Object.freeze(hook.options);
  hook.id = Math.random().toString(36).slice(2, 11);
  for (const m of middleware) {
    if (typeof m?.onRequest !== 'function') continue;
    const result: unknown = await m.onRequest({ request, ...hook } as never);
    if (result === undefined) continue;
    if (result instanceof Response) return { request, response: result };
    request = await adopt(result, request, kit);
  }
  let response: Response | undefined;
  try {
    response = await send(request);
  } catch (failure) {
    let error: unknown = failure;
    for (let i = middleware.length - 1; i >= 0; i--) {
      const onError = middleware[i]?.onError;
      if (typeof onError !== 'function') continue;
      const result: unknown = await onError({ request, error, ...hook } as never);
      if (result instanceof Response) {
        response = result;
        break;
      }
      if (result instanceof Error) error = result;
      else if (result !== undefined) throw kit.misuse('onError must return a Response, an Error or nothing');
    }
    if (!response) throw error;
  }
  for (let i = middleware.length - 1; i >= 0; i--) {
    const onResponse = middleware[i]?.onResponse;
    if (typeof onResponse !== 'function') continue;
    const result: unknown = await onResponse({ request, response, ...hook } as never);
    if (result === undefined) continue;
    if (!(result instanceof Response)) throw kit.misuse('onResponse must return a Response or nothing');
    response = result;
  }
  return { request, response };
}

/** A request an onRequest middleware returned: the client's own, or a platform Request (body read once). */
async function adopt(result: unknown, previous: PreparedRequest, { Prepared, misuse }: MiddlewareKit): Promise<PreparedRequest> {
  if (result instanceof Prepared) return result;
  if (typeof Request !== 'undefined' && result instanceof Request) {
    const body = result.body === null ? null : await result.arrayBuffer();
    return new Prepared(result.url, { method: result.method, headers: result.headers, body, signal: result.signal, extra: { redirect: result.redirect } }, previous.call);
  }
  throw misuse('onRequest must return a Request, a Response or nothing');
}
