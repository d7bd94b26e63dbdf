// One conformance check, applied to every response the contract tests see: the status is
// documented for the operation, the Content-Type is documented for that status, the required
// headers are present, and the body is valid against the documented schema — JSON as parsed, XML
// read with the project's codec against the same schema.
import { fromXml } from '../../../src/xml/codec.js';
import type { Json } from '../spec.js';
import type { BundledSpec } from './bundled-spec.js';

export interface ObservedResponse {
  operationId: string;
  status: number;
  contentType: string | null;
  /** The parsed JSON body, or the XML text; undefined when the response had none. */
  body: unknown;
  /** Response headers, when the caller has them (to check required headers). */
  headers?: Headers;
}

const XML_TYPE = /^(?:application|text)\/(?:[\w.+-]+\+)?xml$/;

function documentedStatus(responses: Record<string, unknown>, status: number): string | undefined {
  const exact = String(status);
  if (exact in responses) return exact;
  const range = `${exact[0]}XX`;
  if (range in responses) return range;
  return 'default' in responses ? 'default' : undefined;
}

/** Returns every way the response departs from the spec; an empty list means it conforms. */
export function conformanceProblems(spec: BundledSpec, observed: ObservedResponse): string[] {
  const { operationId, status, contentType, body } = observed;
  const operation = spec.operation(operationId);
  const statusKey = documentedStatus(operation.responses, status);
  if (!statusKey) return [`${operationId}: status ${status} is not documented`];
  const response = operation.responses[statusKey]!.response;
  const problems: string[] = [];
  if (observed.headers) {
    for (const [name, header] of Object.entries<Json>(response.headers ?? {})) {
      const { required } = spec.openapi.deref(header);
      if (required && !observed.headers.has(name))
        problems.push(`${operationId} ${status}: required header ${name} is missing`);
    }
  }
  const content: Record<string, Json> = response.content ?? {};
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? null;
  if (Object.keys(content).length === 0) {
    return body === undefined || body === ''
      ? problems
      : [...problems, `${operationId} ${status}: a body came back where none is documented`];
  }
  if (!mediaType)
    return [...problems, `${operationId} ${status}: no Content-Type, documented: ${Object.keys(content).join(', ')}`];
  if (!(mediaType in content))
    return [
      ...problems,
      `${operationId} ${status}: Content-Type ${mediaType} is not documented (documented: ${Object.keys(content).join(', ')})`,
    ];
  let value = body;
  if (XML_TYPE.test(mediaType)) {
    try {
      value = fromXml(
        String(body),
        spec.openapi.xmlCodecSchema(content[mediaType]!.schema),
        spec.openapi.xmlCodecContext(),
      );
    } catch (error) {
      return [...problems, `${operationId} ${status} ${mediaType}: ${(error as Error).message}`];
    }
  }
  const validate = spec.responseValidator(operationId, statusKey, mediaType);
  if (validate && !validate(value)) {
    problems.push(
      ...(validate.errors ?? []).map(
        (error) => `${operationId} ${status} ${mediaType}: body${error.instancePath} ${error.message}`,
      ),
    );
  }
  return problems;
}
