// One conformance check, applied to every response the contract tests see: the status is
// documented for the operation, the Content-Type is documented for that status, and the body
// is valid against the documented schema.
import type { BundledSpec } from './spec.js';

export interface ObservedResponse {
  operationId: string;
  status: number;
  contentType: string | null;
  /** The parsed body; undefined when the response had none. */
  body: unknown;
}

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
  const content: Record<string, unknown> = response.content ?? {};
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? null;
  if (Object.keys(content).length === 0) {
    return body === undefined || body === '' ? [] : [`${operationId} ${status}: a body came back where none is documented`];
  }
  if (!mediaType) return [`${operationId} ${status}: no Content-Type, documented: ${Object.keys(content).join(', ')}`];
  if (!(mediaType in content)) return [`${operationId} ${status}: Content-Type ${mediaType} is not documented (documented: ${Object.keys(content).join(', ')})`];
  const validate = spec.responseValidator(operationId, statusKey, mediaType);
  if (validate && !validate(body)) {
    return (validate.errors ?? []).map((error) => `${operationId} ${status} ${mediaType}: body${error.instancePath} ${error.message}`);
  }
  return [];
}
