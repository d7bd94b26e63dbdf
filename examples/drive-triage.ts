// Report a phishing mail as a triage event, take it, enrich it, and turn it into an incident.
import { orThrow } from '../src/index.js';
import { clientFromEnv } from './env.js';

const soar = clientFromEnv();
const event = await orThrow(
  soar.POST('/triage/', {
    body: { type: 'Phishing', status: 'New', opt_1: 'victim@example.com', opt_2: 'Invoice overdue' },
  }),
);
await orThrow(soar.POST('/triage/{id}/grab/', { params: { path: { id: event.id } } }));
await orThrow(
  soar.PATCH('/triage/{id}/', {
    params: { path: { id: event.id } },
    body: { status: 'In progress', opt_3: 'spoofed sender' },
  }),
);
const incident = await orThrow(
  soar.POST('/triage/{id}/convert/', { params: { path: { id: event.id } }, body: { template_id: 7, owner_id: 12 } }),
);
console.log(JSON.stringify({ eventId: event.id, incidentId: incident.id }));
