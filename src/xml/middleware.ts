// Loaded only when a client uses format: 'xml' (a dynamic import in client.ts), so JSON users do not
// carry the codec, the XML parser or the schema table.
import { xmlSchemas } from '../../generated/xml-schemas.js';
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
