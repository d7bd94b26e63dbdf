// The run-time argument guard (src/guard.ts), as a JavaScript caller meets it: calls the types
// refuse (tests/types/exact-requests.ts) are made here through `any`, and each must fail with a
// CloudSoarArgumentError naming the argument, with nothing sent.
import { describe, expect, it } from 'vitest';
import { formBody, paginate } from '../../src/helpers.js';
import {
  CloudSoarArgumentError,
  CloudSoarError,
  createCloudSoarClient,
  orThrow,
  withUnknownFields,
} from '../../src/index.js';

/** A client whose fetch records what was sent and answers 200 `{}` (or the given status). */
function recordingClient(status = 200) {
  const sent: Request[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    sent.push(new Request(input, init));
    return new Response(status === 404 ? '{"error":"Not found"}' : '[]', {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  };
  // `any`: what a JavaScript caller has.
  const soar: any = createCloudSoarClient({
    baseUrl: 'https://soar.example.com/api/v3',
    token: 'guard-token',
    fetch: fetch as typeof globalThis.fetch,
    rateLimit: false,
    retry: false,
  });
  return { soar, sent };
}

const params = { path: { id: 8508 } };

describe('the argument guard refuses, before sending, with a CloudSoarArgumentError naming the argument', () => {
  it.each([
    [
      'a misspelled optional body field',
      'POST',
      '/incidents/{id}/close/',
      { params, body: { closing_notes: 'typo' } },
      'body.closing_notes',
      /did you mean `closing_note`\?/,
    ],
    [
      'a misspelled search filter (which would match every row)',
      'POST',
      '/incidents/search/',
      { body: { filtr: 'Status: Open' } },
      'body.filtr',
      /did you mean `filter`\?/,
    ],
    [
      'a misspelled field of a nested object',
      'POST',
      '/incidents/',
      { body: { name: 'x', incident_type: { id: 3, idd: 4 } } },
      'body.incident_type.idd',
      /did you mean `id`\?/,
    ],
    [
      'a misspelled field inside a list',
      'POST',
      '/incidents/{id}/investigators/',
      {
        params,
        body: {
          investigators: [
            { id: 12, type: 'user' },
            { id: 13, typ: 'group' },
          ],
        },
      },
      'body.investigators[1].typ',
      /did you mean `type`\?/,
    ],
    [
      'a field with no near name',
      'POST',
      '/incidents/{id}/close/',
      { params, body: { resolution_code: 3 } },
      'body.resolution_code',
      /\(known: closing_note, status\)/,
    ],
    [
      'a misspelled query parameter',
      'GET',
      '/incidents/',
      { params: { query: { onlyInvolved: true } } },
      'params.query.onlyInvolved',
      /did you mean `only_involved`\?/,
    ],
    [
      'a query parameter the operation does not take',
      'GET',
      '/folders/',
      { params: { query: { page: 2 } } },
      'params.query.page',
      /is not a query parameter of GET \/folders\//,
    ],
    [
      'a misspelled parameter location',
      'GET',
      '/incidents/',
      { params: { qurey: { only_involved: true } } },
      'params.qurey',
      /did you mean `query`\?/,
    ],
    [
      'a path parameter the operation does not have',
      'GET',
      '/incidents/{id}/',
      { params: { path: { id: 8508, incident_id: 1 } } },
      'params.path.incident_id',
      /is not a path parameter/,
    ],
    [
      'a header parameter the operation does not take',
      'GET',
      '/folders/',
      { params: { header: { 'X-Tenant': 'a' } } },
      'params.header.X-Tenant',
      /is not a header parameter/,
    ],
    [
      'no params at all',
      'GET',
      '/incidents/{id}/',
      undefined,
      'params.path.id',
      /is missing \(undefined\); GET \/incidents\/\{id\}\/ needs it in the URL/,
    ],
    [
      'an undefined id',
      'GET',
      '/incidents/{id}/',
      { params: { path: { id: undefined } } },
      'params.path.id',
      /is missing \(undefined\)/,
    ],
    [
      'NaN, from Number() of a label',
      'GET',
      '/incidents/{id}/',
      { params: { path: { id: Number('INSIGHT-1') } } },
      'params.path.id',
      /is NaN, not an integer, 1 or more .*give the numeric id/,
    ],
    [
      'the label instead of the numeric id',
      'GET',
      '/incidents/{id}/',
      { params: { path: { id: 'INSIGHT-1' } } },
      'params.path.id',
      /must be an integer, 1 or more, got the string "INSIGHT-1"/,
    ],
    [
      'a fraction',
      'DELETE',
      '/incidents/{id}/investigators/{user_id}/',
      { params: { path: { id: 8508, user_id: 1.5 } } },
      'params.path.user_id',
      /must be an integer/,
    ],
    [
      'zero, below the minimum',
      'GET',
      '/triage/{id}/',
      { params: { path: { id: 0 } } },
      'params.path.id',
      /must be an integer, 1 or more, got number 0/,
    ],
    [
      'a misspelled field in a closed object inside an open one inside a list',
      'PUT',
      '/playbook/',
      { body: { name: 'p', nodes: [{ id: 'a', position: { x: 1, yy: 2 } }] } },
      'body.nodes[0].position.yy',
      /did you mean `y`\?/,
    ],
    [
      'a string id outside its pattern',
      'GET',
      '/entities/{id}/',
      { params: { path: { id: '../users' } } },
      'params.path.id',
      /must match/,
    ],
    [
      'a number for a string id',
      'GET',
      '/entities/{id}/',
      { params: { path: { id: 5531 } } },
      'params.path.id',
      /must be a string, got number 5531/,
    ],
  ])('%s', async (_label, method, path, init, argument, message) => {
    const { soar, sent } = recordingClient();
    const error = await soar[method](path, init).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CloudSoarArgumentError);
    expect(error.argument).toBe(argument);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/nothing was sent/);
    expect(sent).toEqual([]);
  });

  it('through the generic request method and the paginate and formBody helpers too', async () => {
    const { soar, sent } = recordingClient();
    await expect(
      soar.POST('/incidents/{id}/notes/', { params, ...formBody({ title: 'x', additonal_info: 'y' }) }),
    ).rejects.toThrow(/^body\.additonal_info: .*did you mean `additional_info`/);
    await expect(soar.request('post', '/incidents/search/', { body: { filtr: 'x' } })).rejects.toThrow(
      /^body\.filtr: .*did you mean `filter`/,
    );
    await expect(
      paginate(soar, '/incidents/search/', { body: { filtr: 'Status: Open' } } as never).next(),
    ).rejects.toThrow(/^body\.filtr: /);
    expect(sent).toEqual([]);
  });

  it('points unknown fields at the escape hatch and at "Help us grade the API"', async () => {
    const { soar } = recordingClient();
    await expect(soar.POST('/incidents/{id}/close/', { params, body: { closing_notes: 'typo' } })).rejects.toThrow(
      /withUnknownFields\(\.\.\.\).*"Help us grade the API"/,
    );
  });
});

describe('what the guard lets through', () => {
  it.each([
    [
      'custom fields opt_N and other keys of an open body',
      'POST',
      '/triage/',
      { body: { type: 'Phishing', status: 'New', opt_2: 'Invoice overdue', anything: 1 } },
    ],
    [
      'any keys of an additionalProperties body',
      'POST',
      '/webhook',
      { body: { title: 'x', my_own_key: { nested: true } } },
    ],
    [
      'keys of an open object inside a list (a playbook node keeps what the editor adds)',
      'PUT',
      '/playbook/',
      { body: { name: 'p', nodes: [{ id: 'a', editor_only: 1, position: { x: 1, y: 2 } }] } },
    ],
    [
      'an open object inside a closed body',
      'PATCH',
      '/incidents/{id}/',
      { params, body: { fields: { opt_3: 'INSIGHT-26022', whatever: 1 } } },
    ],
    [
      'a form built by hand (FormData is sent as it is)',
      'POST',
      '/incidents/{id}/attachments/',
      { params, body: new FormData() },
    ],
    ['an optional query parameter left out', 'GET', '/incidents/', {}],
    ['no init where nothing is required', 'GET', '/folders/', undefined],
  ])('%s', async (_label, method, path, init) => {
    const { soar, sent } = recordingClient();
    await soar[method](path, init);
    expect(sent).toHaveLength(1);
  });

  it('sends a field the description does not know yet when its object is passed through withUnknownFields', async () => {
    const { soar, sent } = recordingClient();
    await soar.POST('/incidents/{id}/close/', {
      params,
      body: withUnknownFields({ closing_note: 'x', resolution_code: 3 }),
    });
    await soar.GET('/folders/', { params: { query: withUnknownFields({ page: 2 }) } });
    expect(await sent[0]!.json()).toEqual({ closing_note: 'x', resolution_code: 3 });
    expect(new URL(sent[1]!.url).search).toBe('?page=2');
    expect(() => withUnknownFields('x' as never)).toThrow(CloudSoarArgumentError);
  });

  it('sends a path the description does not have unchecked, and its error says the path is not in the description', async () => {
    const { soar, sent } = recordingClient(404);
    const error: any = await orThrow(soar.GET('/incident/8508/')).catch((caught: unknown) => caught);
    expect(sent).toHaveLength(1);
    expect(error).toBeInstanceOf(CloudSoarError);
    expect(error).toMatchObject({ operationId: undefined, path: '/incident/8508/' });
    expect(error.message).toMatch(/^GET \/incident\/8508\/ \(not in the description\) answered 404/);
  });
});
