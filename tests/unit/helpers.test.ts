import { afterAll, beforeAll, describe, expect, expectTypeOf, inject, it } from 'vitest';
import {
  fieldLabels,
  fromEpochSeconds,
  paginate,
  parseDisplayDateTime,
  unwrapFields,
  uploadAttachment,
} from '../../src/helpers.js';
import {
  CloudSoarArgumentError,
  CloudSoarConfigError,
  CloudSoarResponseError,
  createCloudSoarClient,
  type ErrorStatusOf,
  errorOf,
  isCloudSoarError,
  legacyBaseUrl,
  SAAS_DEPLOYMENTS,
  saasBaseUrl,
} from '../../src/index.js';
import { xml } from '../../src/xml.js';
import { loadBundledSpec } from '../../tools/kit/contract/bundled-spec.js';
import { type FaultServer, json, startFaultServer } from '../support/fault-server.js';

let server: FaultServer;
beforeAll(async () => (server = await startFaultServer()));
afterAll(() => server.close());
const fast = { rateLimit: false, retry: false } as const;

describe('servers', () => {
  it('builds both base-URL families', () => {
    expect(legacyBaseUrl('acme.soar.sumologic.com')).toBe('https://acme.soar.sumologic.com/incmansuite_ng/api/v3');
    expect(legacyBaseUrl('10.0.0.5:8443', { scheme: 'http' })).toBe('http://10.0.0.5:8443/incmansuite_ng/api/v3');
    expect(saasBaseUrl('us1')).toBe('https://api.sumologic.com/api/csoar/v3');
    expect(saasBaseUrl('eu')).toBe('https://api.eu.sumologic.com/api/csoar/v3');
  });

  it('knows exactly the deployment hosts the spec lists', async () => {
    const saas = (await loadBundledSpec()).document.servers.find((server: { url: string }) =>
      server.url.includes('/api/csoar/v3'),
    );
    const hosts = SAAS_DEPLOYMENTS.map((deployment) => new URL(saasBaseUrl(deployment)).host);
    expect(hosts.sort()).toEqual([...saas.variables.apiHost.enum].sort());
  });

  it('rejects bad server choices with a typed error naming the option', () => {
    expect(() => saasBaseUrl('mars' as never)).toThrow(/deployment: unknown deployment "mars"; one of us1, us2/);
    expect(() => legacyBaseUrl('https://acme.example.com')).toThrow(CloudSoarConfigError);
    expect(() =>
      createCloudSoarClient({ deployment: 'eu', baseUrl: 'https://x.example', token: 't' } as never),
    ).toThrow(/exactly one of baseUrl, deployment/);
    expect(() =>
      createCloudSoarClient({ baseUrl: 'https://x.example', token: 't', accessId: 'a', accessKey: 'b' } as never),
    ).toThrow(/auth: give either a token \(Bearer\) or an accessId and accessKey \(Basic\), not both/);
    expect(() => createCloudSoarClient({ baseUrl: 'https://x.example', token: 't', timeoutMs: 0 })).toThrow(
      /timeoutMs: must be a positive number/,
    );
    expect(() => createCloudSoarClient({ baseUrl: 'https://x.example', token: 't', format: 'xml' } as never)).toThrow(
      /format: is gone: for XML, import \{ xml \} from 'cloudsoar-v3\/xml'/,
    );
  });
});

describe('paginate', () => {
  it('reads pages from 1 until a short page, in any envelope, sending the body paging', async () => {
    const pages = [[{ id: 1 }, { id: 2 }], { incidents: [{ id: 3 }, { id: 4 }] }, { results: [{ id: 5 }] }];
    server.handle((_request, response, attempt) => json(response, 200, pages[attempt - 1]));
    const soar = createCloudSoarClient({ baseUrl: server.url, token: 't', ...fast });
    const ids: number[] = [];
    for await (const row of paginate(soar, '/incidents/search/', {
      body: { filter: 'Status: Open', all: true },
      pageSize: 2,
    }))
      ids.push(row.id);
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    expect(server.bodies.map((body) => JSON.parse(body))).toEqual(
      [1, 2, 3].map((page) => ({ filter: 'Status: Open', all: true, page_number: page, page_size: 2 })),
    );
  });

  it('is bounded: more full pages than maxPages is an error, not an endless loop', async () => {
    server.handle((_request, response) => json(response, 200, [{ id: 1 }]));
    const soar = createCloudSoarClient({ baseUrl: server.url, token: 't', ...fast });
    const read = async () => {
      for await (const _row of paginate(soar, '/entities/search/', { pageSize: 1, maxPages: 3 }));
    };
    await expect(read()).rejects.toThrow(/maxPages: read 3 full pages/);
    expect(server.attempts).toBe(3);
  });

  it('raises a CloudSoarResponseError, naming the operation, for a page in no known envelope', async () => {
    server.handle((_request, response) => json(response, 200, { rows: [{ id: 1 }] }));
    const soar = createCloudSoarClient({ baseUrl: server.url, token: 't', ...fast });
    const read = async () => {
      for await (const _row of paginate(soar, '/incidents/search/'));
    };
    await expect(read()).rejects.toBeInstanceOf(CloudSoarResponseError);
    await expect(read()).rejects.toThrow(
      /^POST \/incidents\/search\/ \(incidents_search_create\) answered 200 with application\/json: page 1 is neither a list/,
    );
  });

  it('throws the CloudSoarError of a failed page', async () => {
    server.handle((_request, response) => json(response, 403, { error: 'Forbidden' }));
    const soar = createCloudSoarClient({ baseUrl: server.url, token: 't', ...fast });
    const read = async () => {
      for await (const _row of paginate(soar, '/triage/search/'));
    };
    await expect(read()).rejects.toMatchObject({
      name: 'CloudSoarError',
      status: 403,
      operationId: 'triage_search_create',
    });
  });

  it('rejects a bad page size', async () => {
    const soar = createCloudSoarClient({ baseUrl: server.url, token: 't', ...fast });
    await expect(paginate(soar, '/incidents/search/', { pageSize: 0 }).next()).rejects.toThrow(CloudSoarArgumentError);
  });
});

describe('wrapped fields', () => {
  it('unwraps the read format into plain values and keeps the labels apart', async () => {
    const incident = (await loadBundledSpec()).document.components.examples.Incident.value;
    const plain = unwrapFields(incident);
    expect(plain).toMatchObject({
      id: 8508,
      incidentid: 'INSIGHT-26022',
      type: ['CSE'],
      inhibit_phases: false,
      opt_1: 'jdoe',
    });
    expect(fieldLabels(incident)).toMatchObject({ incidentid: 'Incident ID', status: 'Status' });
  });
});

describe('display dates', () => {
  it('reads the v3 and v2 display formats in the given offset', () => {
    expect(parseDisplayDateTime('09-08-2023 07:15 AM')?.toISOString()).toBe('2023-09-08T07:15:00.000Z');
    expect(parseDisplayDateTime('09-08-2023 07:15 PM', { utcOffsetMinutes: -360 })?.toISOString()).toBe(
      '2023-09-09T01:15:00.000Z',
    );
    expect(parseDisplayDateTime('12-31-2023 12:05 AM')?.toISOString()).toBe('2023-12-31T00:05:00.000Z');
    expect(parseDisplayDateTime('09/08/23 07:15:00')?.toISOString()).toBe('2023-09-08T07:15:00.000Z');
  });

  it('reads the epoch placeholder of an unset date as null', () => {
    expect(parseDisplayDateTime('12-31-1969 06:00 PM', { utcOffsetMinutes: -360 })).toBeNull();
    expect(fromEpochSeconds(0)).toBeNull();
    expect(fromEpochSeconds(1694157300)?.toISOString()).toBe('2023-09-08T07:15:00.000Z');
  });

  it('rejects text that is not a display date, naming it', () => {
    expect(() => parseDisplayDateTime('2023-09-08T07:15:00Z')).toThrow(/neither "MM-DD-YYYY hh:mm AM"/);
    expect(() => parseDisplayDateTime('02-30-2023 07:15 AM')).toThrow(/not a real date/);
    expect(() => parseDisplayDateTime('09-08-2023 13:15 PM')).toThrow(/12-hour clock/);
  });
});

describe('uploadAttachment', () => {
  it('sends the multipart form Sumo Logic’s own action sends', async () => {
    server.handle((_request, response) => json(response, 200, { id: 77, file_name: 'shot.png' }));
    const soar = createCloudSoarClient({ baseUrl: server.url, token: 't', ...fast });
    const { data } = await uploadAttachment(soar, '/incidents/{id}/attachments/', {
      params: { path: { id: 8508 } },
      file: new Blob([new Uint8Array([1, 2, 3])]),
      fileName: 'shot.png',
      additionalInfo: 'evidence',
      reference: '00',
    });
    expect(data?.id).toBe(77);
    expect(server.headers[0]?.['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const body = server.bodies[0]!;
    expect(body).toMatch(/name="attachment"; filename="shot.png"/);
    for (const field of ['file_name', 'additional_info', 'reference']) expect(body).toContain(`name="${field}"`);
  });

  it('rejects a missing file or name before sending anything', () => {
    const soar = createCloudSoarClient({ baseUrl: server.url, token: 't', ...fast });
    expect(() =>
      uploadAttachment(soar, '/incidents/{id}/attachments/', {
        params: { path: { id: 1 } },
        file: 'bytes' as never,
        fileName: 'a',
      }),
    ).toThrow(/^file: must be a Blob/);
    expect(() =>
      uploadAttachment(soar, '/triage/{id}/attachments/', {
        params: { path: { id: 1 } },
        file: new Blob([]),
        fileName: ' ',
      }),
    ).toThrow(/^fileName/);
  });
});

/** A client speaking XML through the `cloudsoar-v3/xml` middleware. */
function xmlClient(baseUrl: string) {
  const soar = createCloudSoarClient({ baseUrl, token: 't', ...fast });
  soar.use(xml);
  return soar;
}

describe('cloudsoar-v3/xml', () => {
  it('sends XML and reads XML with the same types', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/xml' });
      response.end('<?xml version="1.0"?><note><id>901</id><title>Triage summary</title></note>');
    });
    const soar = xmlClient(server.url);
    const { data } = await soar.POST('/incidents/{id}/notes/', {
      params: { path: { id: 8508 } },
      body: { title: 'Triage summary', created_on: '2025-01-01T00:00:00Z' },
    });
    expect(data).toEqual({ id: 901, title: 'Triage summary' });
    expect(server.headers[0]?.['content-type']).toBe('application/xml');
    expect(server.headers[0]?.accept).toBe('application/xml');
    expect(server.bodies[0]).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<note>\n {2}<title>Triage summary<\/title>/,
    );
  });

  it('reads the mock’s XML answer into the typed object', async () => {
    const soar = xmlClient(inject('mockUrl'));
    const sent: (string | null)[] = [];
    soar.use({ onResponse: ({ response }) => void sent.push(response.headers.get('content-type')) }); // runs before xml's onResponse
    const { data, response } = await soar.GET('/incidents/{id}/', { params: { path: { id: 8508 } } });
    expect(sent[0]).toMatch(/^application\/xml/);
    expect(response.headers.get('content-type')).toBe('application/json'); // the answer decoded, with its status and headers
    expect(data?.id).toBe(8508);
    expect(data?.type?.value).toEqual(['CSE']);
  });

  it('reports unreadable XML as a CloudSoarResponseError', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/xml' });
      response.end('<note><id>not a number</id></note>');
    });
    const soar = xmlClient(server.url);
    await expect(soar.GET('/incidents/{id}/notes/', { params: { path: { id: 1 } } })).rejects.toThrow(
      CloudSoarResponseError,
    );
    await expect(soar.GET('/incidents/{id}/notes/', { params: { path: { id: 1 } } })).rejects.toThrow(/unreadable XML/);
  });
});

describe('operationIds', () => {
  it('follow drf-spectacular except where the generated list says otherwise, for every operation of the spec', async () => {
    const { drfOperationId } = await import('../../src/operation-ids.js');
    const { operationIdExceptions } = await import('../../generated/operations.js');
    const wrong = [...(await loadBundledSpec()).operations.values()].filter(
      ({ method, path, operationId }) =>
        (operationIdExceptions[`${method.toUpperCase()} ${path}`] ?? drfOperationId(method, path)) !== operationId,
    );
    expect(wrong.map(({ operationId }) => operationId)).toEqual([]);
    expect(drfOperationId('GET', '/incidents/{id}/notes/')).toBe('incidents_notes_list');
    expect(drfOperationId('patch', '/incidents/{id}/folder/')).toBe('incidents_folder_partial_update');
  });
});

describe('error types narrowed by the documented statuses', () => {
  it('types errorOf(...).status by the operation (checked by tsc in npm test)', async () => {
    type Retrieve = import('../../src/index.js').operations['incidents_retrieve'];
    type List = import('../../src/index.js').operations['folders_list'];
    expectTypeOf<ErrorStatusOf<Retrieve>>().toEqualTypeOf<400 | 401 | 403 | 404 | 429 | 500>();
    expectTypeOf<ErrorStatusOf<List>>().toEqualTypeOf<400 | 401 | 403 | 429 | 500>();
    server.handle((_request, response) => json(response, 404, { error: 'Not found' }));
    const soar = createCloudSoarClient({ baseUrl: server.url, token: 't', ...fast });
    const error = errorOf<Retrieve>(await soar.GET('/incidents/{id}/', { params: { path: { id: 1 } } }));
    expect(error?.status).toBe(404);
    expect(isCloudSoarError(error, 404, 403)).toBe(true);
    expect(isCloudSoarError(error, 500)).toBe(false);
  });
});

describe('client.use()', () => {
  it('runs a middleware that edits the request it is given', async () => {
    server.handle((_request, response) => json(response, 200, { id: 8508 }));
    const soar = createCloudSoarClient({ baseUrl: server.url, token: 't', ...fast });
    soar.use({
      onRequest: ({ request }) => {
        request.headers.set('X-Trace', 'abc');
      },
    });
    const { data } = await soar.GET('/incidents/{id}/', { params: { path: { id: 8508 } } });
    expect(data?.id).toBe(8508);
    expect(server.headers[0]?.['x-trace']).toBe('abc');
    expect(server.headers[0]?.authorization).toBe('Bearer t');
  });
});
