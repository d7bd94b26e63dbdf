// The contract checks, each a function of (spec, mock URL, operation) that returns what it found.
// The suite runs every check on every operation of the bundled spec and expects no problems; the
// mutation test runs the same functions on broken copies and expects them to speak up.
import { isDeepStrictEqual } from 'node:util';
import { xmlSchemas } from '../../../generated/xml-schemas.js';
import { type CloudSoarClient, createCloudSoarClient, errorOf } from '../../../src/index.js';
import { fromXml } from '../../../src/xml/codec.js';
import { requestToXml } from '../../../src/xml.js';
import { type Json, OPERATION_METHODS } from '../spec.js';
import type { BundledSpec, SpecOperation } from './bundled-spec.js';
import { callThroughClient } from './call.js';
import { conformanceProblems } from './conformance.js';
import { type ExampleRequest, exampleRequests, parametersOf, requestContent, toFormData } from './requests.js';
export interface CheckResult {
  /** False when the check has nothing to test on this operation (e.g. no inputs to invalidate). */
  applicable: boolean;
  problems: string[];
  /** How many requests the check sent. */
  requests: number;
}
export interface CheckContext {
  spec: BundledSpec;
  baseUrl: string;
  auth: Record<string, string>;
  /** Send writes (POST/PUT/PATCH/DELETE other than searches)? Always true against the mock. */
  allowWrites: boolean;
  /**
   * Against the mock every example must succeed. Against a live tenant the examples' ids may not
   * exist, so any documented, conforming answer that is not a 5xx is accepted.
   */
  live?: boolean;
}
export type Check = (context: CheckContext, operation: SpecOperation) => Promise<CheckResult>;

const NOT_APPLICABLE: CheckResult = { applicable: false, problems: [], requests: 0 };

export function isReadOnly(operation: SpecOperation): boolean {
  return operation.method === 'get' || operation.path.endsWith('/search/');
}

function clientFor(context: CheckContext): CloudSoarClient {
  const auth = context.auth.Authorization ?? '';
  const credentials = auth.startsWith('Basic ')
    ? (() => {
        const [accessId, accessKey] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
        return { accessId: accessId ?? '', accessKey: accessKey ?? '' };
      })()
    : { token: auth.replace(/^Bearer /, '') };
  return createCloudSoarClient({ baseUrl: context.baseUrl, ...credentials, retry: false, rateLimit: false });
}

/** The URL and fetch init of an example request, sent raw (for headers the client would not send). */
function raw(
  context: CheckContext,
  request: ExampleRequest,
  headers: Record<string, string>,
  body: unknown,
): [string, RequestInit] {
  let path = request.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String(request.params.path?.[name])),
  );
  const query = new URLSearchParams(
    Object.entries(request.params.query ?? {}).map(([key, value]) => [key, String(value)]),
  ).toString();
  if (query) path += `?${query}`;
  // A file download answers bytes when it succeeds and JSON when it fails.
  const accept = request.parseAs === 'text' ? 'application/octet-stream, application/json;q=0.9' : 'application/json';
  const init: RequestInit = { method: request.method.toUpperCase(), headers: { Accept: accept, ...headers } };
  if (body !== undefined) {
    if (request.mediaType === 'multipart/form-data') init.body = toFormData(body as Record<string, unknown>);
    else {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = request.mediaType ?? 'application/json';
    }
  }
  return [`${context.baseUrl}${path}`, init];
}

/** Sends an example request as it is (for headers the client would not send) and reads the answer. */
export async function sendExample(
  context: CheckContext,
  request: ExampleRequest,
  headers: Record<string, string>,
  body: unknown = request.body,
) {
  const response = await fetch(...raw(context, request, headers, body));
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  let parsed: unknown = text === '' ? undefined : text;
  if (text !== '' && /json/.test(contentType ?? '')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return {
    response,
    observed: {
      operationId: request.operationId,
      status: response.status,
      contentType,
      body: parsed,
      headers: response.headers,
    },
  };
}

function writesAllowed(context: CheckContext, operation: SpecOperation): boolean {
  return context.allowWrites || isReadOnly(operation);
}

/** 1. Every named request example, through the client: a 2xx that conforms. */
export const successConforms: Check = async (context, operation) => {
  if (!writesAllowed(context, operation)) return NOT_APPLICABLE;
  const client = clientFor(context);
  const problems: string[] = [];
  const requests = exampleRequests(context.spec, operation);
  for (const request of requests) {
    const { response, observed } = await callThroughClient(client, request);
    if (context.live ? response.status >= 500 : !response.ok)
      problems.push(
        `${request.operationId} (${request.label}): ${response.status} ${response.headers.get('sl-violations') ?? ''}`,
      );
    problems.push(...conformanceProblems(context.spec, observed));
  }
  return { applicable: true, problems, requests: requests.length };
};

function documentedStatuses(operation: SpecOperation): number[] {
  return Object.keys(operation.responses)
    .filter((status) => /^\d{3}$/.test(status))
    .map(Number);
}

/** 2. Every documented status, selected with `Prefer: code=…`, conforms. */
export const everyStatusConforms: Check = async (context, operation) => {
  const [request] = exampleRequests(context.spec, operation);
  const problems: string[] = [];
  const statuses = documentedStatuses(operation);
  for (const status of statuses) {
    const { observed } = await sendExample(context, request!, { ...context.auth, Prefer: `code=${status}` });
    if (observed.status !== status)
      problems.push(`${operation.operationId}: asked for ${status}, got ${observed.status}`);
    problems.push(...conformanceProblems(context.spec, observed));
  }
  return { applicable: true, problems, requests: statuses.length };
};

/** 3. The client turns every documented 4xx/5xx into a CloudSoarError naming status and operation. */
export const typedErrors: Check = async (context, operation) => {
  const client = clientFor(context);
  const [request] = exampleRequests(context.spec, operation);
  const statuses = documentedStatuses(operation).filter((status) => status >= 400);
  const problems: string[] = [];
  for (const status of statuses) {
    const { response, data, error } = await callThroughClient(client, request!, {
      headers: { Prefer: `code=${status}` },
    });
    const typed = errorOf({ response, data, error });
    if (!typed) problems.push(`${operation.operationId} ${status}: no CloudSoarError`);
    else if (typed.status !== status || typed.operationId !== operation.operationId || typed.body === undefined) {
      problems.push(
        `${operation.operationId} ${status}: CloudSoarError says ${typed.status} ${typed.operationId} body=${JSON.stringify(typed.body)}`,
      );
    }
  }
  return { applicable: statuses.length > 0, problems, requests: statuses.length };
};

/** 4. No credentials → 401, documented. */
export const noCredentials: Check = async (context, operation) => {
  const [request] = exampleRequests(context.spec, operation);
  const { observed } = await sendExample(context, request!, {});
  const problems = conformanceProblems(context.spec, observed);
  if (observed.status !== 401)
    problems.push(`${operation.operationId}: no credentials gave ${observed.status}, not 401`);
  return { applicable: true, problems, requests: 1 };
};

/** 5. A scheme the API does not take → 401, documented. */
export const wrongScheme: Check = async (context, operation) => {
  const [request] = exampleRequests(context.spec, operation);
  const { observed } = await sendExample(context, request!, { Authorization: 'Token 0123456789abcdef' });
  const problems = conformanceProblems(context.spec, observed);
  if (observed.status !== 401)
    problems.push(`${operation.operationId}: "Token" scheme gave ${observed.status}, not 401`);
  return { applicable: true, problems, requests: 1 };
};

function typesOf(schema: Json): string[] {
  return Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
}

/** A value no schema of these types accepts. */
function wrongTypeFor(schema: Json): unknown {
  return typesOf(schema).includes('object') ? 42 : { unexpected: true };
}

/** Invalid variants of an example body, derived from its schema, each with what makes it invalid. */
export function invalidBodies(spec: BundledSpec, schemaRef: Json, example: Json): { why: string; body: unknown }[] {
  const schema = spec.openapi.deref(schemaRef);
  const cases: { why: string; body: unknown }[] = [{ why: 'body is an array, not an object', body: [example] }];
  if (schema.oneOf || schema.anyOf) return [...cases, { why: 'body has none of the required fields', body: {} }];
  if (schema.minProperties) cases.push({ why: 'body is empty but needs a field', body: {} });
  for (const name of schema.required ?? []) {
    const { [name]: _removed, ...rest } = example;
    cases.push({ why: `required ${name} missing`, body: rest });
  }
  for (const [name, propertyRef] of Object.entries<Json>(schema.properties ?? {})) {
    const property = spec.openapi.deref(propertyRef);
    if (property === (false as unknown)) continue;
    if (typesOf(property).length > 0)
      cases.push({ why: `${name} of the wrong type`, body: { ...example, [name]: wrongTypeFor(property) } });
    if (typeof property.minimum === 'number')
      cases.push({ why: `${name} below its minimum`, body: { ...example, [name]: property.minimum - 1 } });
    if (typeof property.minLength === 'number' && property.minLength > 0)
      cases.push({ why: `${name} shorter than minLength`, body: { ...example, [name]: '' } });
    if (property.format === 'date-time')
      cases.push({ why: `${name} not a date-time`, body: { ...example, [name]: 'yesterday at noon' } });
    if (property.format === 'email')
      cases.push({ why: `${name} not an e-mail address`, body: { ...example, [name]: 'not-an-address' } });
    if (Array.isArray(property.enum))
      cases.push({ why: `${name} outside its closed list`, body: { ...example, [name]: 'not-a-listed-value' } });
    if (property.type === 'array' && typeof property.minItems === 'number' && property.minItems > 0)
      cases.push({ why: `${name} empty`, body: { ...example, [name]: [] } });
  }
  return cases;
}

/** 6. Inputs made invalid from the schemas (types, required, ranges, formats, closed lists) → 4xx. */
export const invalidInputsRejected: Check = async (context, operation) => {
  if (!writesAllowed(context, operation)) return NOT_APPLICABLE;
  const [request] = exampleRequests(context.spec, operation);
  const variants: { why: string; request: ExampleRequest; body?: unknown }[] = [];
  for (const parameter of parametersOf(context.spec, operation)) {
    const schema = parameter.schema ?? {};
    if (parameter.in === 'path' && typesOf(schema).includes('integer')) {
      variants.push({
        why: `path ${parameter.name} not an integer`,
        request: {
          ...request!,
          params: { ...request!.params, path: { ...request!.params.path, [parameter.name]: 'abc' } },
        },
      });
      if (typeof schema.minimum === 'number') {
        variants.push({
          why: `path ${parameter.name} below minimum`,
          request: {
            ...request!,
            params: { ...request!.params, path: { ...request!.params.path, [parameter.name]: schema.minimum - 1 } },
          },
        });
      }
    }
    if (parameter.in === 'path' && schema.pattern) {
      variants.push({
        why: `path ${parameter.name} outside its pattern`,
        request: {
          ...request!,
          params: { ...request!.params, path: { ...request!.params.path, [parameter.name]: 'a.b' } },
        },
      });
    }
    if (parameter.in === 'query' && parameter.required) {
      const { [parameter.name]: _removed, ...query } = request!.params.query ?? {};
      variants.push({
        why: `required query ${parameter.name} missing`,
        request: { ...request!, params: { ...request!.params, query } },
      });
    }
    if (parameter.in === 'query' && typesOf(schema).includes('boolean')) {
      variants.push({
        why: `query ${parameter.name} not a boolean`,
        request: {
          ...request!,
          params: { ...request!.params, query: { ...request!.params.query, [parameter.name]: 'perhaps' } },
        },
      });
    }
  }
  const content = requestContent(context.spec, operation);
  if (content['application/json'] && request!.body !== undefined) {
    for (const { why, body } of invalidBodies(context.spec, content['application/json'].schema, request!.body as Json))
      variants.push({ why, request: request!, body });
  }
  // A file upload (multipart only); JSON bodies also offered as forms are invalidated above.
  if (content['multipart/form-data'] && !content['application/json']) {
    const { attachment: _file, ...fields } = request!.body as Json;
    variants.push({ why: 'multipart without its attachment part', request: request!, body: fields });
  }
  const problems: string[] = [];
  for (const variant of variants) {
    const { observed } = await sendExample(
      context,
      variant.request,
      context.auth,
      variant.body ?? variant.request.body,
    );
    if (observed.status < 400 || observed.status >= 500)
      problems.push(`${operation.operationId}: ${variant.why} gave ${observed.status}, not 4xx`);
  }
  return { applicable: variants.length > 0, problems, requests: variants.length };
};

function successXml(operation: SpecOperation): string | undefined {
  return Object.entries(operation.responses).find(
    ([status, { response }]) => status.startsWith('2') && response.content?.['application/xml'],
  )?.[0];
}

/** 7. Where the spec offers XML answers: ask for XML, read it with the codec, validate. */
export const xmlResponseConforms: Check = async (context, operation) => {
  const status = successXml(operation);
  if (!status || !writesAllowed(context, operation)) return NOT_APPLICABLE;
  const [request] = exampleRequests(context.spec, operation);
  const { observed } = await sendExample(context, request!, { ...context.auth, Accept: 'application/xml' });
  const problems = conformanceProblems(context.spec, observed);
  if (!/xml/.test(observed.contentType ?? ''))
    problems.push(`${operation.operationId}: asked for XML, got ${observed.contentType}`);
  return { applicable: true, problems, requests: 1 };
};

/**
 * 8. XML requests: Prism cannot validate them, so prove the client's serialisation round-trips —
 * object → XML → parsed → valid against the schema → equal to the original — for every example.
 */
export const xmlRequestRoundTrips: Check = async (context, operation) => {
  const xml = requestContent(context.spec, operation)['application/xml'];
  if (!xml) return NOT_APPLICABLE;
  const key = `${operation.method.toUpperCase()} ${operation.path}`;
  const problems: string[] = [];
  const examples = exampleRequests(context.spec, operation);
  const validate = context.spec.ajvFor(xml.schema);
  for (const { label, body } of examples) {
    const text = requestToXml(key, body);
    if (text === undefined) {
      problems.push(`${operation.operationId}: the client has no XML schema for ${key}`);
      continue;
    }
    const back = fromXml(text, xmlSchemas.requests[key]!, { components: xmlSchemas.components });
    if (!validate(back))
      problems.push(`${operation.operationId} (${label}): parsed XML is invalid: ${JSON.stringify(validate.errors)}`);
    if (!isDeepStrictEqual(back, body))
      problems.push(`${operation.operationId} (${label}): XML does not read back to the same object`);
  }
  return { applicable: true, problems, requests: 0 };
};

/** Whether a spec path template matches a concrete path (a template segment matches any one segment). */
function templateMatches(template: string, path: string): boolean {
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+');
  return new RegExp(`^${pattern}$`).test(path);
}

/**
 * 9. Methods the spec does not document for the URL → 405. A method that another path of the spec
 * matches (`GET /incidents/search/` matches `GET /incidents/{id}/`) is documented there, so it is
 * not asked; such overlaps are listed by the rules test instead.
 */
export const undocumentedMethods: Check = async (context, operation) => {
  const [request] = exampleRequests(context.spec, operation);
  const concrete = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => String(request!.params.path?.[name]));
  const paths = context.spec.document.paths as Record<string, Json>;
  const missing = OPERATION_METHODS.filter(
    (method) => !Object.entries(paths).some(([template, item]) => item[method] && templateMatches(template, concrete)),
  );
  if (missing.length === 0) return NOT_APPLICABLE;
  const problems: string[] = [];
  for (const method of missing) {
    const [url, init] = raw(context, { ...request!, method }, context.auth, undefined);
    const response = await fetch(url, init);
    await response.body?.cancel();
    if (response.status !== 405)
      problems.push(`${operation.operationId}: ${method.toUpperCase()} ${concrete} gave ${response.status}, not 405`);
  }
  return { applicable: true, problems, requests: missing.length };
};

export const CHECKS = {
  'success conforms': successConforms,
  'every status conforms': everyStatusConforms,
  'typed errors': typedErrors,
  'no credentials → 401': noCredentials,
  'wrong scheme → 401': wrongScheme,
  'invalid inputs → 4xx': invalidInputsRejected,
  'XML answers conform': xmlResponseConforms,
  'XML requests round-trip': xmlRequestRoundTrips,
  'undocumented methods → 405': undocumentedMethods,
} satisfies Record<string, Check>;

/** Checks that only read, for a live tenant without CLOUDSOAR_ALLOW_WRITES. */
export const LIVE_CHECKS = [
  'success conforms',
  'no credentials → 401',
  'wrong scheme → 401',
  'XML answers conform',
] as const;
