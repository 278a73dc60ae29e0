import type { AlertEventRecord } from './alert-event.js';
import type { DeviceSpec } from './device.js';
import type { PollOutcome } from './poll.js';

/**
 * What the daemon's parts tell each other over the EventBus (common/events.ts). The collector
 * publishes `poll`; the trap listener publishes `trap`. Listeners are wired in the composition
 * root (cli/run.ts), so no part reaches into another's fields.
 */
export interface RoomwatchEvents {
  /** One poll of one device, its health readings included. */
  poll: PollOutcome;
  /** An alert opened, acknowledged, flapping or resolved, for the history in InfluxDB. */
  alert_event: AlertEventRecord;
  /** A trap or inform from a configured device, already authenticated and mapped to it. */
  trap: { device: DeviceSpec; oid: string };
}
