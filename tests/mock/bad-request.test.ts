// The mock's 400 says what was wrong, for every operation: one bad request each, derived from the
// spec (a misspelled required body field, form part or query parameter; else a path id of the wrong
// form, a query parameter or body property of the wrong type), and the `{error, description}`
// answer must name the field. Prism alone answered the
// spec's static example ("page_number: must be 1 or more.") to all of them; the real violations
// come from its `sl-violations` header (tools/kit/prism-preload.cjs).
import { expect, inject, it } from 'vitest';
import { loadBundledSpec, type SpecOperation } from '../../tools/kit/contract/bundled-spec.js';
import { exampleRequests, parametersOf, requestContent } from '../../tools/kit/contract/requests.js';

const mockUrl = inject('mockUrl');
const spec = await loadBundledSpec();
type Json = Record<string, any>;

interface BadRequest {
  operationId: string;
  /** The field the answer must name. */
  field: string;
  why: string;
  init: RequestInit;
  url: string;
}

/** `name` as a hand in a hurry types it: its last letter dropped. */
const misspell = (name: string) => name.slice(0, -1);

/** The required fields of the body schema branch the example body satisfies. */
function requiredFieldsOf(schemaRef: Json, body: Json): string[] {
  const schema = spec.openapi.deref(schemaRef);
  for (const branch of [schema, ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) {
    const required: string[] = spec.openapi.deref(branch)?.required ?? [];
    if (required.length > 0 && required.every((name) => name in body)) return required;
  }
  return [];
}

function badRequestFor(operation: SpecOperation): BadRequest | undefined {
  const [example] = exampleRequests(spec, operation);
  const path = { ...example!.params.path };
  const query: Record<string, unknown> = { ...example!.params.query };
  const headers: Record<string, string> = { Authorization: 'Bearer bad-request-token', Accept: 'application/json' };
  let body: BodyInit | undefined;
  let field: string | undefined;
  let why = '';
  const content = requestContent(spec, operation);
  const jsonBody = content['application/json'] && (example!.body as Json | undefined);
  const required = jsonBody ? requiredFieldsOf(content['application/json']!.schema, jsonBody) : [];
  const requiredQuery = parametersOf(spec, operation).find(
    (parameter) => parameter.in === 'query' && parameter.required,
  );
  const typeOf = (schema: Json | undefined) => [spec.openapi.deref(schema)?.type].flat();
  const typedPath = parametersOf(spec, operation).find(
    (parameter) =>
      parameter.in === 'path' && (typeOf(parameter.schema).includes('integer') || parameter.schema?.pattern),
  );
  const typedQuery = parametersOf(spec, operation).find(
    (parameter) =>
      parameter.in === 'query' && typeOf(parameter.schema).some((type) => type === 'integer' || type === 'boolean'),
  );
  const bodySchema = jsonBody ? spec.openapi.deref(content['application/json']!.schema) : undefined;
  const typedProperty = Object.entries<Json>(bodySchema?.properties ?? {}).find(([, property]) =>
    typeOf(property).some((type) => ['string', 'integer', 'boolean'].includes(type)),
  );
  if (jsonBody && required.length > 0) {
    field = required[0]!;
    const { [field]: value, ...rest } = jsonBody;
    body = JSON.stringify({ ...rest, [misspell(field)]: value });
    headers['Content-Type'] = 'application/json';
    why = `body field ${field} misspelled ${misspell(field)}`;
  } else if (content['multipart/form-data'] && !content['application/json']) {
    const schema = spec.openapi.deref(content['multipart/form-data'].schema);
    field = schema.required?.[0] as string;
    const form = new FormData();
    for (const [name, value] of Object.entries(example!.body as Json)) {
      const sent = name === field ? misspell(name) : name;
      if (name === 'attachment') form.append(sent, new Blob(['hello']), 'report.txt');
      else form.append(sent, String(value));
    }
    body = form;
    why = `form part ${field} misspelled ${misspell(field)}`;
  } else if (requiredQuery) {
    field = requiredQuery.name as string;
    query[misspell(field)] = query[field];
    delete query[field];
    why = `query parameter ${field} misspelled ${misspell(field)}`;
  } else if (typedPath) {
    field = typedPath.name as string;
    path[field] = typedPath.schema?.pattern ? 'a.b' : 'INSIGHT-1';
    why = `path ${field} given ${path[field]}`;
    if (jsonBody) {
      body = JSON.stringify(jsonBody);
      headers['Content-Type'] = 'application/json';
    }
  } else if (typedQuery) {
    field = typedQuery.name as string;
    query[field] = 'perhaps';
    why = `query parameter ${field} given "perhaps"`;
  } else if (jsonBody && typedProperty) {
    field = typedProperty[0];
    body = JSON.stringify({ ...jsonBody, [field]: typeOf(typedProperty[1]).includes('string') ? 42 : 'perhaps' });
    headers['Content-Type'] = 'application/json';
    why = `body field ${field} of the wrong type`;
  }
  if (!field) return undefined;
  const target = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(path[name])));
  const search = new URLSearchParams(Object.entries(query).map(([name, value]) => [name, String(value)])).toString();
  return {
    operationId: operation.operationId,
    field,
    why,
    url: `${mockUrl}${target}${search ? `?${search}` : ''}`,
    init: { method: operation.method.toUpperCase(), headers, body: body ?? null },
  };
}

const operations = [...spec.operations.values()];
const badRequests = operations.map(badRequestFor).filter((request) => request !== undefined);
/** Operations with no input to get wrong: no required or typed field or parameter. */
const nothingToGetWrong = operations
  .filter((operation) => !badRequestFor(operation))
  .map((operation) => operation.operationId);

it('has a bad request for every operation that takes input', () => {
  // Each of these takes nothing, or only fields of any type; Prism can refuse none of their requests.
  expect(nothingToGetWrong.sort()).toMatchSnapshot();
  expect(badRequests.length + nothingToGetWrong.length).toBe(operations.length);
});

it('answers each bad request with a 400 whose description names the field', async () => {
  const problems: string[] = [];
  await Promise.all(
    badRequests.map(async ({ operationId, field, why, url, init }) => {
      const answer = await fetch(url, init);
      const text = await answer.text();
      let description: unknown;
      try {
        description = (JSON.parse(text) as Json).description;
      } catch {
        description = undefined;
      }
      if (answer.status !== 400 || typeof description !== 'string' || !description.includes(field)) {
        problems.push(`${operationId} (${why}): ${answer.status} ${text}`);
      }
    }),
  );
  expect(problems).toEqual([]);
});

it("answers in the API's shape when XML is asked for (Prism answers a failed validation in JSON)", async () => {
  const answer = await fetch(`${mockUrl}/incidents/INSIGHT-1/`, {
    headers: { Authorization: 'Bearer bad-request-token', Accept: 'application/xml' },
  });
  expect(answer.status).toBe(400);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(await answer.json()).toEqual({ error: 'Invalid request', description: 'path parameter id must be integer' });
});
