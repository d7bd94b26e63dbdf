// Open an incident for an alert unless one already exists, attach the alert and note why.
import { paginate } from '../src/helpers.js';
import { orThrow } from '../src/index.js';
import { clientFromEnv } from './env.js';

const soar = clientFromEnv();
const alert = { id: 'INSIGHT-26022', name: 'Exfiltration', severity: 'HIGH', entity: '10.0.0.1' };

let incidentId: number | undefined;
for await (const row of paginate(soar, '/incidents/search/', {
  body: { filter: `Incident ID: ${alert.id}`, columns: ['incidentid'], all: true },
  maxPages: 1,
})) {
  incidentId = row.id;
  break;
}
if (incidentId === undefined) {
  const created = await orThrow(
    soar.POST('/incidents/', {
      body: {
        template_id: 3,
        fields: { incidentid: alert.id, description: alert.name, starttime: new Date().toISOString() },
      },
    }),
  );
  incidentId = created.id;
}
await orThrow(
  soar.POST('/incidents/{id}/external_alerts/', {
    params: { path: { id: incidentId } },
    body: { type: 'Sumo Logic', data: alert },
  }),
);
const note = await orThrow(
  soar.POST('/incidents/{id}/notes/', {
    params: { path: { id: incidentId } },
    body: {
      title: 'Alert attached',
      additional_info: `<p>${alert.name} on ${alert.entity}</p>`,
      created_on: new Date().toISOString(),
    },
  }),
);
console.log(JSON.stringify({ incidentId, noteId: note.id }));
