// `cloudsoar-v3/xml`: XML on the wire with the same types, as an openapi-fetch middleware:
//   soar.use(xml);
// Requests ask for XML and JSON bodies the spec also takes as XML are sent as XML; XML answers are
// read against the spec's schema into the value their JSON twin gives. A separate entry, so JSON
// users carry neither the codec, the XML parser nor the schema table.
import type { Middleware } from 'openapi-fetch';
import { xmlSchemas } from '../generated/xml-schemas.js';
import { CloudSoarResponseError } from './errors.js';
import { describeOperation } from './results.js';
import { fromXml, toXml } from './xml/codec.js';

const context = { components: xmlSchemas.components };
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;
const XML_TYPE = /^(?:application|text)\/(?:[\w.+-]+\+)?xml\b/i;

/** XML text of a JSON request body for "METHOD /spec/path/"; undefined when the spec has no XML body there. */
export function requestToXml(key: string, body: unknown): string | undefined {
  const schema = xmlSchemas.requests[key];
  return schema ? toXml(body, schema, context) : undefined;
}

/** The JSON value of an XML answer, read against the schema the spec documents for that status. */
export function responseFromXml(key: string, status: number, text: string): unknown {
  const byStatus = xmlSchemas.responses[key] ?? {};
  const schema = byStatus[String(status)] ?? byStatus[`${String(status)[0]}XX`] ?? byStatus.default;
  if (!schema) throw new Error(`the spec documents no XML body for ${key} ${status}`);
  // The server's root element name is not observed anywhere, so any root is accepted.
  return fromXml(text, schema, context, { rootName: false });
}

/**
 * The middleware. A decoded answer reaches openapi-fetch (and `result.response`) as JSON with the
 * status and headers of the XML answer; an unreadable one is a CloudSoarResponseError.
 */
export const xml: Middleware = {
  async onRequest({ request, schemaPath, options }) {
    if (options.parseAs === 'json') request.headers.set('Accept', 'application/xml');
    if (request.body === null || !JSON_TYPE.test(request.headers.get('content-type') ?? '')) return undefined;
    const body = requestToXml(`${request.method} ${schemaPath}`, JSON.parse(await request.clone().text()));
    if (body === undefined) return undefined;
    const headers = new Headers(request.headers);
    headers.set('Content-Type', 'application/xml');
    return new Request(request, { body, headers });
  },
  async onResponse({ request, response, schemaPath, options }) {
    const contentType = response.headers.get('content-type') ?? '';
    if (
      options.parseAs !== 'json' ||
      !XML_TYPE.test(contentType) ||
      response.status === 204 ||
      response.headers.get('content-length') === '0'
    )
      return undefined;
    const text = await response.text();
    let value: unknown;
    try {
      value = responseFromXml(`${request.method} ${schemaPath}`, response.status, text);
    } catch (error) {
      throw new CloudSoarResponseError(
        describeOperation(request.method, schemaPath),
        response.status,
        contentType,
        `unreadable XML: ${(error as Error).message}`,
      );
    }
    const headers = new Headers(response.headers);
    headers.set('Content-Type', 'application/json');
    headers.delete('Content-Length');
    return new Response(JSON.stringify(value), { status: response.status, statusText: response.statusText, headers });
  },
};
