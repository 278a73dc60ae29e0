import { describe, expectTypeOf, it } from 'vitest';
import type { Silence as ServerSilence } from '../../alerting/core/mute.js';
import type { Incident as ServerIncident } from '../../alerting/incidents/incident.js';
import type { AlertView } from '../../api/routes/alerts.js';
import type { Alert, Incident, Silence } from '../../console/types.js';

/**
 * The browser code has its own copy of the API's shapes (it cannot import the server's modules
 * without compiling them into the page). These assertions are checked by the typechecker
 * (`npm run typecheck`): a server field the console reads that changes name or type fails here.
 */
describe('the console reads the API as the server answers it', () => {
  it('alerts, incidents and silences', () => {
    expectTypeOf<AlertView>().toExtend<Alert>();
    expectTypeOf<ServerIncident>().toExtend<Incident>();
    expectTypeOf<ServerSilence>().toExtend<Silence>();
  });
});
