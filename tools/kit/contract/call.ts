// Sends an ExampleRequest through the public client and reports what came back.
import type { CloudSoarClient } from '../../../src/index.js';
import type { ObservedResponse } from './conformance.js';
import { type ExampleRequest, toFormData } from './requests.js';

export interface CallOptions {
  headers?: Record<string, string>;
  body?: unknown;
}

export async function callThroughClient(client: CloudSoarClient, request: ExampleRequest, options: CallOptions = {}) {
  const body = options.body ?? request.body;
  const init: Record<string, unknown> = { params: request.params, parseAs: request.parseAs };
  if (options.headers) init.headers = options.headers;
  if (body !== undefined) {
    if (request.mediaType === 'multipart/form-data') {
      init.body = toFormData(body as Record<string, unknown>);
      init.bodySerializer = (form: unknown) => form;
    } else {
      init.body = body;
    }
  }
  // The generic driver cannot name the path's literal type; the typed surface is checked by the code samples.
  const result = await (
    client.request as (
      method: string,
      path: string,
      init: unknown,
    ) => Promise<{ response: Response; data?: unknown; error?: unknown }>
  )(request.method, request.path, init);
  const observed: ObservedResponse = {
    operationId: request.operationId,
    status: result.response.status,
    contentType: result.response.headers.get('content-type'),
    body: result.response.ok ? result.data : result.error,
  };
  return { ...result, observed };
}
