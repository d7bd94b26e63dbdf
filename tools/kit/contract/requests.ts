// Requests built from the spec's own examples: path and query parameters take their documented
// example, bodies take each named request example. The contract suite grows with the spec.
import type { Json } from '../spec.js';
import type { BundledSpec, SpecOperation } from './bundled-spec.js';

export interface ExampleRequest {
  operationId: string;
  /** Name of the request example used, or "no body". */
  label: string;
  method: string;
  path: string;
  params: { path?: Record<string, unknown>; query?: Record<string, unknown> };
  mediaType?: string;
  body?: unknown;
  /** What the success answer is read as. */
  parseAs: 'json' | 'text';
}

export function parametersOf(spec: BundledSpec, operation: SpecOperation): Json[] {
  return spec.openapi.parameters(spec.document.paths[operation.path], operation.operation);
}

/** The request body's media types, resolved. */
export function requestContent(spec: BundledSpec, operation: SpecOperation): Record<string, Json> {
  return spec.openapi.requestContent(operation.operation);
}

export function isBinarySuccess(operation: SpecOperation): boolean {
  return Object.entries(operation.responses).some(
    ([status, { response }]) => status.startsWith('2') && 'application/octet-stream' in (response.content ?? {}),
  );
}

/** One request per named JSON (or multipart) request example; one request when there is no body. */
export function exampleRequests(spec: BundledSpec, operation: SpecOperation): ExampleRequest[] {
  const parameters = parametersOf(spec, operation);
  const params: ExampleRequest['params'] = {};
  for (const location of ['path', 'query'] as const) {
    const here = parameters
      .filter((p) => p.in === location)
      .map((p): Json => ({ ...p, example: spec.openapi.parameterExample(p) }));
    const values = Object.fromEntries(here.filter((p) => p.example !== undefined).map((p) => [p.name, p.example]));
    const missing = here.filter((p) => p.required && p.example === undefined);
    if (missing.length > 0)
      throw new Error(
        `${operation.operationId}: required ${location} parameter(s) without example: ${missing.map((p) => p.name).join(', ')}`,
      );
    if (Object.keys(values).length > 0) params[location] = values;
  }
  const base = {
    operationId: operation.operationId,
    method: operation.method,
    path: operation.path,
    params,
    parseAs: isBinarySuccess(operation) ? ('text' as const) : ('json' as const),
  };
  const content = requestContent(spec, operation);
  if (content['application/json']) {
    return spec.openapi
      .examples(content['application/json'])
      .map(([label, body]) => ({ ...base, label, mediaType: 'application/json', body }));
  }
  if (content['multipart/form-data']) {
    return [
      {
        ...base,
        label: 'multipart form',
        mediaType: 'multipart/form-data',
        body: spec.openapi.multipartExample(content['multipart/form-data']),
      },
    ];
  }
  return [{ ...base, label: 'no body' }];
}

/** The FormData a multipart example stands for: the `attachment` part carries bytes. */
export function toFormData(fields: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'attachment')
      form.append(
        name,
        new Blob([String(value)], { type: 'application/octet-stream' }),
        String(fields.file_name ?? 'file.bin'),
      );
    else form.append(name, String(value));
  }
  return form;
}
