import { describe, expectTypeOf, it } from 'vitest';
import type { Silence as ServerSilence } from '../../alerting/core/mute.js';
import type { Incident as ServerIncident } from '../../alerting/incidents/incident.js';
import type { AlertView } from '../../api/routes/alerts.js';
import type { DeviceStatus as ServerDeviceStatus } from '../../api/routes/devices.js';
import type { HistoryEvent } from '../../api/routes/history.js';
import type { Series as ServerSeries } from '../../api/series.js';
import type { TimelineEntry as ServerTimelineEntry } from '../../api/timeline.js';
import type { Alert, AlertReadings, DeviceStatus, HistoryRow, Incident, Series, Silence, TimelineEntry } from '../../console/types.js';

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

  it('devices, trends and readings, timelines and history rows', () => {
    expectTypeOf<ServerDeviceStatus>().toExtend<DeviceStatus>();
    expectTypeOf<ServerSeries>().toExtend<Series>();
    expectTypeOf<{ from: number; to: number; series: ServerSeries[]; context: ServerSeries[] }>().toExtend<AlertReadings>();
    expectTypeOf<ServerTimelineEntry>().toExtend<TimelineEntry>();
    expectTypeOf<HistoryEvent>().toExtend<HistoryRow>();
  });
});
