// Loaded only when a client uses format: 'xml' (a dynamic import in client.ts), so JSON users do not
// carry the codec, the XML parser or the schema table. No run-time import from the client's own
// modules, so the bundle keeps it a standalone chunk.
import { xmlSchemas } from '../../generated/xml-schemas.js';
import type { PreparedRequest } from '../transport.js';
import { fromXml, toXml } from './codec.js';

const context = { components: xmlSchemas.components };

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

// client.ts's JSON media-type test, repeated: importing it would pull client code into a shared chunk.
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/** An XML answer read into the value its JSON twin gives; `unreadable` makes the client's typed error. */
export function readXmlAnswer(response: Response, request: PreparedRequest, body: string, unreadable: (message: string) => Error): { data?: unknown; error?: unknown; response: Response } {
  let value: unknown;
  try {
    value = responseFromXml(`${request.method} ${request.call.schemaPath}`, response.status, body);
  } catch (error) {
    throw unreadable(`unreadable XML: ${(error as Error).message}`);
  }
  return response.ok ? { data: value, response } : { error: value, response };
}

/** The headers and body XML mode sends: XML asked for, and a JSON body the spec also takes as XML converted. */
export async function xmlRequestParts(request: PreparedRequest): Promise<{ headers: Headers; body: BodyInit | null }> {
  const headers = new Headers(request.headers);
  if (request.call.parseAs === 'json') headers.set('Accept', 'application/xml');
  if (request.body === null || !JSON_TYPE.test(headers.get('content-type') ?? '')) return { headers, body: request.body };
  const xml = requestToXml(`${request.method} ${request.call.schemaPath}`, JSON.parse(await new Response(request.body).text()));
  if (xml === undefined) return { headers, body: request.body };
  headers.set('Content-Type', 'application/xml');
  return { headers, body: xml };
}
