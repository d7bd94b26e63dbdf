// formBody: flat bodies go out form-encoded or multipart through the client and through a plain
// openapi-fetch client alike (only documented per-call options); nested bodies are refused by name.
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { paths } from '../../generated/schema.js';
import { formBody } from '../../src/helpers.js';
import { CloudSoarArgumentError, type CloudSoarClient, createCloudSoarClient } from '../../src/index.js';
import { type FaultServer, json, startFaultServer } from '../support/fault-server.js';

let server: FaultServer;
beforeAll(async () => (server = await startFaultServer()));
afterAll(() => server.close());

const note = {
  title: 'Hand-over',
  additional_info: '<p>Still open & unsure</p>',
  created_on: '2023-09-08T07:15:00.000000Z',
};

// Called through one type: the plain client's methods have openapi-fetch's looser signatures.
const clients: Record<string, () => CloudSoarClient> = {
  'the cloudsoar-v3 client': () =>
    createCloudSoarClient({ baseUrl: server.url, token: 'form-token', retry: false, rateLimit: false }),
  "openapi-fetch's createClient": () =>
    createClient<paths>({
      baseUrl: server.url,
      headers: { Authorization: 'Bearer form-token' },
    }) as unknown as CloudSoarClient,
};

describe('formBody', () => {
  for (const [name, makeClient] of Object.entries(clients)) {
    it(`sends a flat body form-encoded through ${name}`, async () => {
      server.handle((_request, response) => json(response, 200, { id: 1 }));
      const { response } = await makeClient().POST('/incidents/{id}/notes/', {
        params: { path: { id: 8508 } },
        ...formBody(note),
      });
      expect(response.status).toBe(200);
      expect(server.headers[0]!['content-type']).toBe('application/x-www-form-urlencoded');
      expect(Object.fromEntries(new URLSearchParams(server.bodies[0]!))).toEqual(note);
    });

    it(`sends a flat body as multipart through ${name}, lists as repeated keys`, async () => {
      server.handle((_request, response) => json(response, 200, { id: 1 }));
      await makeClient().POST('/incidents/{id}/tasks/', {
        params: { path: { id: 8508 } },
        ...formBody({ title: 'Collect proxy logs', hours: 2, due_date: '2023-09-09T17:00:00Z' }, 'multipart/form-data'),
      });
      const contentType = server.headers[0]!['content-type']!;
      expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
      const form = await new Response(server.bodies[0], { headers: { 'Content-Type': contentType } }).formData();
      expect(Object.fromEntries(form)).toEqual({
        title: 'Collect proxy logs',
        hours: '2',
        due_date: '2023-09-09T17:00:00Z',
      });
    });
  }

  it('writes a list of scalars as a repeated key, dates as ISO 8601 and booleans as true/false', () => {
    const { bodySerializer } = formBody({
      type: ['CSE', 'Phishing'],
      at: new Date(Date.UTC(2023, 8, 8)),
      draft: false,
    });
    expect(bodySerializer({ type: ['CSE', 'Phishing'], at: new Date(Date.UTC(2023, 8, 8)), draft: false })).toBe(
      'type=CSE&type=Phishing&at=2023-09-08T00%3A00%3A00.000Z&draft=false',
    );
  });

  it('refuses what a form cannot carry, naming the field, before anything is sent', () => {
    expect(() => formBody({ fields: { additional_info: 'x' } })).toThrow(
      /^body\.fields: is a nested object, which a form cannot carry .*send this body as JSON$/,
    );
    expect(() => formBody({ nodes: [{ id: 'a' }] })).toThrow(/^body\.nodes: is a list of objects/);
    expect(() => formBody({ owner: null })).toThrow(/^body\.owner: is null/);
    expect(() => formBody({ attachment: new Blob(['x']) })).toThrow(
      /^body\.attachment: is a file, which only multipart\/form-data can carry$/,
    );
    expect(() => formBody({}, 'text/plain' as never)).toThrow(CloudSoarArgumentError);
    expect(() => formBody([] as never)).toThrow(/^body: a form body must be a plain object/);
  });
});
