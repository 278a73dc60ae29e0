import { describe, expect, it, vi } from 'vitest';
import type { RoomwatchConfig } from '../app/config/load.js';
import { config, duty, engine, poll, start, useEngineBed } from '../test/helpers/engine-bed.js';

useEngineBed();

/** Three unanswered polls of each device, 10 s apart, and group_wait for the message. */
async function unreachable(cfg: RoomwatchConfig, devices: string[]): Promise<void> {
  for (let i = 0; i < 3; i++) {
    for (const device of devices) engine.onPoll(poll(cfg, device, {}, false));
    await vi.advanceTimersByTimeAsync(10_000);
  }
  await vi.advanceTimersByTimeAsync(15_000);
}

const sentSeverities = () =>
  Object.fromEntries(duty.sent.flatMap((m) => (m.body.alerts as unknown as Array<{ labels: { device: string; alertname: string; severity: string } }>).map((a) => [`${a.labels.device}:${a.labels.alertname}`, a.labels.severity])));

describe('AlertEngine: how grave a device not answering is', () => {
  it('follows what the device is: an unreachable UPS is major, an unreachable meter minor', async () => {
    const cfg = config();
    start(cfg);
    await unreachable(cfg, ['ups-1', 'meter-1']);
    expect(sentSeverities()).toEqual({ 'ups-1:device_comms_lost': 'major', 'meter-1:device_comms_lost': 'minor' });
    expect(engine.book.active().map((a) => [a.device, a.severity, a.category])).toEqual([['ups-1', 'major', 'communication'], ['meter-1', 'minor', 'communication']]);
  });

  it('is what an alerting.rules entry named device_comms_lost says, over the template', async () => {
    const cfg = config(`  rules:
    - { name: device_comms_lost, match: { device: ups-1 }, severity: critical }`);
    start(cfg);
    await unreachable(cfg, ['ups-1', 'meter-1']);
    expect(sentSeverities()).toEqual({ 'ups-1:device_comms_lost': 'critical', 'meter-1:device_comms_lost': 'minor' });
  });
});
