// One typed call per operation of the spec, made through the public client. The type makes
// `npm run typecheck` fail when an operation has no call; coverage.test.ts checks the same at
// run time against the bundled file.
import type { CloudSoarClient, operations } from '../../src/index.js';

export type OperationId = keyof operations;
export interface CallResult {
  response: Response;
  data?: unknown;
  error?: unknown;
}
export type ContractCall = (client: CloudSoarClient) => Promise<CallResult>;

export const contractCalls: { [K in OperationId]: ContractCall } = {
  incidents_list: (client) => client.GET('/incidents/', { params: { query: { only_involved: true } } }),
  incidents_create: (client) =>
    client.POST('/incidents/', {
      body: {
        name: 'INSIGHT-26022: Exfiltration',
        incident_type: { id: 3 },
        owner: 12,
        fields: { description: 'Exfiltration', incidentid: 'INSIGHT-26022', type: ['Incident Management'] },
      },
    }),
  incidents_retrieve: (client) => client.GET('/incidents/{id}/', { params: { path: { id: 8508 } } }),
  incidents_folder_partial_update: (client) =>
    client.PATCH('/incidents/{id}/folder/', { params: { path: { id: 8508 } }, body: { folder_id: 4 } }),
  incidents_search_create: (client) =>
    client.POST('/incidents/search/', {
      body: { all: true, page_number: 1, page_size: 50, columns: ['incidentid', 'status'], filter: 'Incident ID: INSIGHT-26022' },
    }),
};
