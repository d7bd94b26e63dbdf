// Find open incidents and leave a hand-over note on each (at most five here).
import { paginate } from '../src/helpers.js';
import { orThrow } from '../src/index.js';
import { clientFromEnv } from './env.js';

const soar = clientFromEnv();
const noted: number[] = [];
for await (const row of paginate(soar, '/incidents/search/', {
  body: { filter: 'Status: Open', columns: ['incidentid', 'status'], all: true },
  pageSize: 50,
  maxPages: 1,
})) {
  await orThrow(
    soar.POST('/incidents/{id}/notes/', {
      params: { path: { id: row.id } },
      body: {
        title: 'Shift hand-over',
        additional_info: '<p>Still open at the end of the shift.</p>',
        created_on: new Date().toISOString(),
      },
    }),
  );
  noted.push(row.id);
  if (noted.length === 5) break;
}
console.log(JSON.stringify({ noted }));
