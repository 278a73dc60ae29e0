import { localizedDisplay } from '../alerting/display.js';
import type { AlertEngine } from '../alerting/engine.js';
import type { ApiDeps } from './app.js';

/** The configured names, units and rules (alerting/notify/directory.ts) the display reads. */
type Directory = Parameters<typeof localizedDisplay>[1];

/**
 * The routes' view of the alert engine (alerts, incidents, silences), one wiring for the daemon
 * (cli/run.ts) and the API benchmark (bench/api.ts), so the benchmark measures what runs.
 */
export function engineDeps(engine: AlertEngine, directory: Directory): Pick<ApiDeps, 'silences' | 'alerts' | 'incidents'> {
  return {
    silences: { list: () => engine.silences(), add: (input) => engine.addSilence(input), expire: (id) => engine.expireSilence(id) },
    alerts: {
      active: () => engine.alerts().active(),
      recent: () => engine.alerts().recent(),
      alert: (id) => engine.alerts().find(id),
      acknowledge: (id, by, note) => engine.acknowledge(id, by, note),
      // Names, units and rules as configured, so the API says values as messages do (电池供电, < 198 V).
      display: (alert) => localizedDisplay(alert, directory),
    },
    incidents: {
      active: () => engine.incidents().active(),
      recent: () => engine.incidents().recent(),
      get: (id) => engine.incident(id)?.incident,
      acknowledge: (id, by, note) => engine.acknowledgeIncident(id, by, note),
    },
  };
}
