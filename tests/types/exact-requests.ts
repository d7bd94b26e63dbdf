// Type tests, checked by `npm run typecheck` (tsc over tests/): each `@ts-expect-error` marks a call
// that must not compile. If the exact types of src/exact.ts stop refusing it, tsc reports the
// directive as unused and the build fails. Never run; only compiled.

import { formBody, paginate } from '../../src/helpers.js';
import { type createCloudSoarClient, withUnknownFields } from '../../src/index.js';

declare const soar: ReturnType<typeof createCloudSoarClient>;
const params = { path: { id: 8508 } };

export async function typos(): Promise<void> {
  // Body, top level: an optional field misspelled.
  await soar.POST('/incidents/{id}/close/', { params, body: { closing_note: 'Closed.' } });
  // @ts-expect-error closing_notes is not a field of IncidentClose
  await soar.POST('/incidents/{id}/close/', { params, body: { closing_notes: 'typo' } });
  await soar.POST('/incidents/search/', { body: { filter: 'Status: Open' } });
  // @ts-expect-error filtr is not a field of SearchRequest
  await soar.POST('/incidents/search/', { body: { filtr: 'Status: Open' } });
  // The same through a variable (no excess-property check at all without the exact types).
  const closing = { closing_notes: 'typo' };
  // @ts-expect-error closing_notes is not a field of IncidentClose
  await soar.POST('/incidents/{id}/close/', { params, body: closing });
  // Through the generic `request` method.
  // @ts-expect-error filtr is not a field of SearchRequest
  await soar.request('post', '/incidents/search/', { body: { filtr: 'Status: Open' } });

  // Body, nested: a closed object inside a oneOf body (the API-client form of IncidentCreate).
  await soar.POST('/incidents/', { body: { name: 'x', incident_type: { id: 3 } } });
  // @ts-expect-error idd is not a field of incident_type
  await soar.POST('/incidents/', { body: { name: 'x', incident_type: { id: 3, idd: 4 } } });
  // Body, nested in a list: the investigators to add.
  await soar.POST('/incidents/{id}/investigators/', { params, body: { investigators: [{ id: 12, type: 'user' }] } });
  // TypeScript's own excess check catches this one (inference falls back to the expected type);
  // kept so that the exact types are seen not to hide it.
  await soar.POST('/incidents/{id}/investigators/', {
    params,
    // @ts-expect-error note is not a field of an investigator
    body: { investigators: [{ id: 12, type: 'user', note: 'x' }] },
  });

  // Query, top level: an optional parameter misspelled.
  await soar.GET('/incidents/', { params: { query: { only_involved: true } } });
  // @ts-expect-error onlyInvolved is not a query parameter of GET /incidents/
  await soar.GET('/incidents/', { params: { query: { only_involved: true, onlyInvolved: true } } });
  await soar.GET('/incidents/{id}/external_alerts/{alert_id}/', {
    // @ts-expect-error typ is not a query parameter (type is)
    params: { path: { id: 8508, alert_id: 15 }, query: { type: 'Sumo Logic CSE Insights', typ: 'x' } },
  });
  // Query, nested under params: `params.qurey`.
  // @ts-expect-error qurey is not a parameter location
  await soar.GET('/incidents/', { params: { query: { only_involved: true }, qurey: { only_involved: true } } });

  // Path: a parameter the operation does not have.
  // @ts-expect-error incident_id is not a path parameter of this operation
  await soar.GET('/incidents/{id}/', { params: { path: { id: 8508, incident_id: 1 } } });
  // Path, nested: a second path parameter misspelled beside the right first one.
  await soar.DELETE('/incidents/{id}/investigators/{user_id}/', {
    // @ts-expect-error user is not a path parameter (user_id is)
    params: { path: { id: 8508, user_id: 12, user: 12 } },
  });

  // Helpers that take bodies.
  // @ts-expect-error filtr is not a field of SearchRequest
  paginate(soar, '/incidents/search/', { body: { filtr: 'Status: Open' } });
  const search = { body: { all: true, filtr: 'Status: Open' } };
  // @ts-expect-error filtr is not a field of SearchRequest (through a variable, which TypeScript alone lets pass)
  paginate(soar, '/incidents/search/', search);
  paginate(soar, '/incidents/search/', { body: { all: true, filter: 'Status: Open' }, pageSize: 10 });
  await soar.POST('/incidents/{id}/notes/', { params, ...formBody({ title: 'Hand-over', additional_info: 'x' }) });
  // @ts-expect-error additonal_info is not a field of NoteCreate (a form body is checked like any other)
  await soar.POST('/incidents/{id}/notes/', { params, ...formBody({ title: 'Hand-over', additonal_info: 'x' }) });
}

export async function stillAccepted(): Promise<void> {
  // Open schemas: custom fields opt_N and additionalProperties.
  await soar.POST('/triage/', { body: { type: 'Phishing', status: 'New', opt_2: 'Invoice overdue', anything: 1 } });
  await soar.POST('/webhook', { body: { title: 'Suspicious login', my_own_key: { nested: true } } });
  await soar.PATCH('/incidents/{id}/', {
    params,
    body: { fields: { opt_3: 'INSIGHT-26022', starttime: '2023-09-08T06:58:00Z' } },
  });
  // Top-level init options (RequestInit, openapi-fetch's own) are untouched.
  await soar.GET('/incidents/{id}/', { params, signal: AbortSignal.timeout(1000), parseAs: 'text' });
  // The escape hatch for a field the description does not know yet.
  await soar.POST('/incidents/{id}/close/', {
    params,
    body: withUnknownFields({ closing_note: 'x', resolution_code: 3 }),
  });
  // Responses keep their types.
  const { data } = await soar.GET('/incidents/{id}/', { params });
  const id: number | undefined = data?.id;
  void id;
}
