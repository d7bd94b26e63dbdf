// A fake Cloud SOAR tenant that answers OPTIONS the way Django REST Framework does (Allow, and
// metadata with `parses` and `actions`), built from a (mutated) copy of the description. It asks
// for credentials (401 without), refuses past `limit` requests in any second (429), and records
// every request's method and arrival time so tests can see what a client sent.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { objectFields, operationsOf } from '../../tools/kit/probe/drf.js';
import { OpenApiDocument } from '../../tools/kit/spec.js';

export interface FakeTenant {
  url: string;
  requests: { method: string; path: string; at: number; status: number }[];
  close(): Promise<void>;
}

const DRF_TYPE: Record<string, string> = {
  integer: 'integer',
  number: 'float',
  boolean: 'boolean',
  string: 'string',
  array: 'list',
  object: 'nested object',
};

function drfType(types: Set<string>): string {
  for (const type of ['integer', 'number', 'boolean', 'string', 'array', 'object'])
    if (types.has(type)) return DRF_TYPE[type]!;
  return 'field';
}

export async function startFakeTenant(
  document: any,
  { authorization, limit = 4 }: { authorization: string; limit?: number },
): Promise<FakeTenant> {
  const items = new Map<
    string,
    { pattern: RegExp; methods: string[]; parses: string[]; actions: Record<string, unknown> }
  >();
  const spec = await OpenApiDocument.open(document);
  for (const operation of operationsOf(spec)) {
    const entry = items.get(operation.path) ?? {
      pattern: new RegExp(`^${operation.path.replace(/\{\w+\}/g, '[^/]+')}$`),
      methods: [],
      parses: [],
      actions: {},
    };
    entry.methods.push(operation.method);
    for (const type of operation.mediaTypes) if (!entry.parses.includes(type)) entry.parses.push(type);
    if ((operation.method === 'POST' || operation.method === 'PUT') && operation.hasBody) {
      const fields = objectFields(
        spec,
        operation.operation.requestBody.content['application/json']?.schema ??
          Object.values<any>(operation.operation.requestBody.content)[0].schema,
      );
      entry.actions[operation.method] = Object.fromEntries(
        [...fields].map(([name, field]) => [
          name,
          { type: drfType(field.types), required: field.required, read_only: false, label: name.replace(/_/g, ' ') },
        ]),
      );
    }
    items.set(operation.path, entry);
  }
  const requests: FakeTenant['requests'] = [];
  const server = createServer((request, response) => {
    const at = performance.now();
    const path = new URL(request.url!, 'http://tenant').pathname;
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ method: request.method!, path, at, status });
      const text = JSON.stringify(body);
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      response.end(text);
    };
    request.resume();
    if (requests.filter((seen) => seen.status !== 429 && at - seen.at < 1000).length >= limit)
      return answer(429, { detail: 'Request was throttled.' }, { 'Retry-After': '1' });
    if (request.headers.authorization !== authorization)
      return answer(401, { detail: 'Authentication credentials were not provided.' });
    const match = [...items.entries()].find(([, item]) => item.pattern.test(path));
    if (!match) return answer(404, { detail: 'Not found.' });
    const [template, item] = match;
    const allow = [...item.methods, 'OPTIONS'].join(', ');
    if (request.method !== 'OPTIONS')
      return answer(item.methods.includes(request.method!) ? 200 : 405, {}, { Allow: allow });
    answer(
      200,
      {
        name: template,
        description: '',
        renders: ['application/json', 'text/html'],
        parses: item.parses,
        ...(Object.keys(item.actions).length > 0 ? { actions: item.actions } : {}),
      },
      { Allow: allow },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
