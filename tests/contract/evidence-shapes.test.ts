// The requests that working clients were seen sending (the evidence catalogue's S1, S2, S3, S6, S7,
// S9), transcribed here independently of the spec's examples, must all be accepted by the mock of
// the bundled spec. If the spec narrows a schema below what real clients send, this fails.
import { describe, expect, inject, it } from 'vitest';

const mockUrl = inject('mockUrl');
const bearer = { Authorization: 'Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzUxMiJ9.e30.c2ln' };
// SaaS clients send Basic accessId:accessKey (S1, S6, S7, S9).
const basic = { Authorization: `Basic ${Buffer.from('suABCDEF123456:accessKeyValue').toString('base64')}` };
// Legacy scripts ask for JSON with a charset parameter (S1).
const legacyJson = { Accept: 'application/json;charset=UTF-8', 'Content-Type': 'application/json' };
const saasJson = { Accept: 'application/json', 'Content-Type': 'application/json' };

interface Shape {
  source: string;
  what: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
  form?: FormData;
}

function screenshotForm(): FormData {
  const form = new FormData();
  form.append(
    'attachment',
    new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'application/octet-stream' }),
    'screenshot.png',
  );
  form.append('file_name', 'screenshot.png');
  form.append('additional_info', 'Screenshot of https://example.org');
  form.append('reference', '00');
  return form;
}

const terraformPlaybook = {
  name: 'Terraform playbook',
  description: 'Managed by Terraform',
  updated_name: 'Terraform playbook renamed',
  tags: 'tf,managed',
  is_deleted: false,
  draft: false,
  is_published: true,
  last_updated: 0,
  created_by: 0,
  updated_by: 0,
  nested: false,
  type: 'General',
  is_enabled: true,
  links: [{ id: 'l1', type: 'link', source: { id: 'n1', port: 'out' }, target: { id: 'n2', port: 'in' } }],
  nodes: [
    { id: 'n1', type: 'devs.Start', stepType: 'start', position: { x: 0, y: 0 } },
    {
      id: 'n2',
      type: 'devs.Action',
      stepType: 'action',
      actionName: 'send_email',
      actionType: 'Notification',
      position: { x: 100, y: 0 },
    },
    { id: 'n3', type: 'devs.End', stepType: 'end', position: { x: 200, y: 0 } },
  ],
};

const shapes: Shape[] = [
  {
    source: 'S2',
    what: 'connection test',
    method: 'GET',
    path: '/incidents/?only_involved=true',
    headers: { ...bearer, ...legacyJson },
  },
  {
    source: 'S2',
    what: 'connection test (SaaS)',
    method: 'GET',
    path: '/incidents/?only_involved=true',
    headers: { ...basic, ...saasJson },
  },
  {
    source: 'S9',
    what: 'webhook create from template',
    method: 'POST',
    path: '/incidents/',
    headers: { ...basic, ...saasJson },
    body: {
      template_id: 3,
      fields: {
        incidentid: 'ALERT-{{AlertID}}',
        description: 'Monitor alert',
        additional_info: 'Raised by a Sumo Logic monitor',
        starttime: '2024-05-01T10:20:30.000Z',
        incident_kind: 1,
        incident_category: 1,
        status: 1,
        restriction: 1,
      },
    },
  },
  {
    source: 'S7',
    what: 'MCP create with incident_type',
    method: 'POST',
    path: '/incidents/',
    headers: { ...basic, ...saasJson },
    body: {
      name: 'INSIGHT-123',
      incident_type: { id: 3 },
      owner: 7,
      fields: { description: 'd', incidentid: 'INSIGHT-123', opt_2: 'INSIGHT-123', type: ['Incident Management'] },
    },
  },
  {
    source: 'S7',
    what: 'MCP create without owner',
    method: 'POST',
    path: '/incidents/',
    headers: { ...basic, ...saasJson },
    body: {
      name: 'INSIGHT-124',
      incident_type: { id: 3 },
      owner: null,
      fields: { description: 'd', incidentid: 'INSIGHT-124', type: ['Incident Management'] },
    },
  },
  {
    source: 'S7',
    what: 'MCP search with filter',
    method: 'POST',
    path: '/incidents/search/',
    headers: { ...basic, ...saasJson },
    body: {
      all: true,
      page_size: 50,
      page_number: 1,
      columns: ['incidentid', 'status', 'openingtime', 'owner', 'description', 'type'],
      filter: 'Incident ID: INSIGHT-123',
    },
  },
  {
    source: 'S7',
    what: 'MCP search without filter',
    method: 'POST',
    path: '/incidents/search/',
    headers: { ...basic, ...saasJson },
    body: { all: true, page_size: 50, page_number: 2, columns: ['incidentid'] },
  },
  {
    source: 'S7',
    what: 'MCP folder move',
    method: 'PATCH',
    path: '/incidents/8508/folder/',
    headers: { ...basic, ...saasJson },
    body: { folder_id: 4 },
  },
  {
    source: 'S7',
    what: 'MCP note with author',
    method: 'POST',
    path: '/incidents/8508/notes/',
    headers: { ...basic, ...saasJson },
    body: {
      title: 'Claimed',
      additional_info: '<p>Claimed by <b>jdoe</b></p>',
      created_on: '2025-01-01T00:00:00.000000Z',
      created_by: 'jdoe',
    },
  },
  {
    source: 'S7',
    what: 'MCP note without author',
    method: 'POST',
    path: '/incidents/8508/notes/',
    headers: { ...basic, ...saasJson },
    body: { title: 'Note', additional_info: 'text', created_on: '2025-06-30T23:59:59.123456Z' },
  },
  { source: 'S7', what: 'MCP folders', method: 'GET', path: '/folders/', headers: { ...basic, ...saasJson } },
  {
    source: 'S7',
    what: 'MCP templates',
    method: 'GET',
    path: '/incident_templates/',
    headers: { ...basic, ...saasJson },
  },
  {
    source: 'S1',
    what: 'Get Incident (legacy)',
    method: 'GET',
    path: '/incidents/8508/',
    headers: { ...bearer, ...legacyJson },
  },
  {
    source: 'S1',
    what: 'external alerts list',
    method: 'GET',
    path: '/incidents/8508/external_alerts/',
    headers: { ...bearer, ...legacyJson },
  },
  {
    source: 'S1',
    what: 'external alert by type',
    method: 'GET',
    path: `/incidents/8508/external_alerts/15/?type=${encodeURIComponent('Sumo Logic CSE Insights')}`,
    headers: { ...basic, ...saasJson },
  },
  {
    source: 'S1',
    what: 'add external alert',
    method: 'POST',
    path: '/incidents/8508/external_alerts/',
    headers: { ...bearer, ...legacyJson },
    body: {
      type: 'Sumo Logic',
      data: { signal: { id: 'abc', severity: 5, tags: ['x'] }, nested: { deep: [1, 2, 3] } },
    },
  },
  {
    source: 'S1',
    what: 'war room timeline',
    method: 'GET',
    path: '/incidents/8508/timeline/',
    headers: { ...bearer, ...legacyJson },
  },
  {
    source: 'S1',
    what: 'entity search (quoted filter)',
    method: 'POST',
    path: '/entities/search/',
    headers: { ...bearer, ...legacyJson },
    body: { page_number: 1, page_size: 150, filter: 'value:"203.0.113.7"' },
  },
  { source: 'S1', what: 'entity details', method: 'GET', path: '/entities/5531/', headers: { ...basic, ...saasJson } },
  {
    source: 'S1',
    what: 'entity threat indicator',
    method: 'PATCH',
    path: '/entities/5531/',
    headers: { ...basic, ...saasJson },
    body: { tag: '🔴,MALICIOUS' },
  },
  {
    source: 'S1',
    what: 'entity metadata',
    method: 'PATCH',
    path: '/entities/5531/',
    headers: { ...bearer, ...legacyJson },
    body: { tag: 'vip', additional_info: 'CEO laptop' },
  },
  {
    source: 'S3',
    what: 'screenshot upload (legacy)',
    method: 'POST',
    path: '/incidents/8508/attachments/',
    headers: { ...bearer, Accept: 'application/json' },
    form: screenshotForm(),
  },
  {
    source: 'S3',
    what: 'screenshot upload (SaaS)',
    method: 'POST',
    path: '/incidents/8508/attachments/',
    headers: { ...basic, Accept: 'application/json' },
    form: screenshotForm(),
  },
  {
    source: 'S6',
    what: 'Terraform playbook update',
    method: 'PUT',
    path: '/playbook/',
    headers: { ...basic, ...saasJson },
    body: terraformPlaybook,
  },
  {
    source: 'S6',
    what: 'Terraform playbook delete',
    method: 'DELETE',
    path: `/playbook/?name=${encodeURIComponent('Terraform playbook')}`,
    headers: { ...basic, Accept: 'application/json' },
  },
];

describe('requests real clients send are accepted by the mock of the bundled spec', () => {
  for (const shape of shapes) {
    it(`${shape.source}: ${shape.what}`, async () => {
      const response = await fetch(`${mockUrl}${shape.path}`, {
        method: shape.method,
        headers: shape.headers,
        ...(shape.form ? { body: shape.form } : shape.body !== undefined ? { body: JSON.stringify(shape.body) } : {}),
      });
      await response.body?.cancel();
      expect(response.status, response.headers.get('sl-violations') ?? '').toBeGreaterThanOrEqual(200);
      expect(response.status, response.headers.get('sl-violations') ?? '').toBeLessThan(300);
    });
  }
});
