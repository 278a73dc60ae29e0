import type { AlertEngine } from '../alerting/engine.js';
import type { SinkComponent } from '../collector/collector.js';
import type { TrapReceiver } from '../collector/drivers/snmp/traps.js';
import type { DeviceSpec } from '../common/contracts/device.js';
import type { MetricSources } from '../common/metrics/daemon-metrics.js';
import { decideReadiness, DropWatch, type PollPulse, type Readiness } from '../common/metrics/readiness.js';

/** The running parts /metrics and /readyz read from: one set per (re)start. */
export interface ProbedParts {
  devices: readonly DeviceSpec[];
  sink: SinkComponent;
  engine: AlertEngine;
  traps?: TrapReceiver;
  pulse: PollPulse;
  /** When every component had started (steady ms); undefined while starting. */
  startedAt(): number | undefined;
  reloadRejected(): boolean;
}

/** Where the scrape-time metrics come from: the parts' own figures, nothing counted twice. */
export function metricSources({ sink, engine, traps }: ProbedParts): MetricSources {
  return {
    sink: () => sink.status(),
    alerts: () => engine.alerts().active(),
    ruleEvaluations: () => engine.ruleEvaluations(),
    notifications: () => engine.notificationAttempts(),
    notificationsPending: () => engine.outboxSize(),
    trapsReceived: () => traps?.status().received ?? 0,
  };
}

/** GET /readyz's answer, from the parts as they are now (decideReadiness holds the rules). */
export function readinessOf(parts: ProbedParts): () => Readiness {
  const longestIntervalMs = parts.devices.reduce((longest, d) => Math.max(longest, d.intervalMs), 0);
  const drops = new DropWatch();
  return () => {
    const { reachable, spoolFillPercent, droppedPoints } = parts.sink.status();
    return decideReadiness({
      now: performance.now(),
      startedAt: parts.startedAt(),
      reloadRejected: parts.reloadRejected(),
      pollers: { devices: parts.devices.length, longestIntervalMs, slowestPollMs: parts.pulse.slowestPollMs, lastPollAt: parts.pulse.lastPollAt },
      storage: { reachable, spoolFillPercent, lastDropAgoMs: drops.observe(droppedPoints) },
      outbox: { pending: parts.engine.outboxSize(), oldestAgeMs: parts.engine.outboxOldestAgeMs() },
    });
  };
}
