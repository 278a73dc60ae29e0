import type { Alert, AlertEvent } from '../alerts.js';
import type { Incident, IncidentEvent } from '../incidents/incident.js';
import type { Silence } from '../core/mute.js';
import type { OutboundMessage } from '../notify/notifier.js';

/**
 * A rendered notification waiting for delivery. It is journaled before the first attempt, so a
 * restart resends what was not confirmed and nothing that was.
 */
export interface OutboxEntry {
  id: string;
  receiver: string;
  message: OutboundMessage;
  createdAt: number;
  attempts: number;
  /** Steady time of the next attempt (backoff after a retryable failure). */
  nextAt: number;
  lastError?: string;
}

/** An alert as journaled; `pending` marks a notice decided but not yet queued for any receiver. */
export type JournaledAlert = Alert & { pending?: AlertEvent['kind'] };

/** An incident as journaled; `pending` marks its recovery notice decided but not yet queued. */
export type JournaledIncident = Incident & { pending?: IncidentEvent['kind'] };

/**
 * One line of the alert journal. The last `alert` record for a key is its state, the last
 * `incident` record for an id the incident's; `silence` and
 * `expire` add and end silences people set; `out` queues a notification that `done` or `failed`
 * settles.
 */
export type JournalRecord =
  | { t: 'alert'; alert: JournaledAlert }
  | { t: 'incident'; incident: JournaledIncident }
  | { t: 'silence'; silence: Silence }
  | { t: 'expire'; id: string }
  | { t: 'out'; entry: OutboxEntry }
  | { t: 'done'; id: string; at: number }
  | { t: 'failed'; id: string; at: number; error: string };
