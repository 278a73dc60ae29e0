import { describe, expect, it } from 'vitest';
import { holdFor } from './hold.js';
import { IncidentTypes } from './types.js';

const DEVICES = [
  { id: 'ups-1', site: 'sh', room: 'r1', intervalMs: 10_000 },
  { id: 'crac-1', site: 'sh', room: 'r1', intervalMs: 30_000 },
  { id: 'crac-2', site: 'sh', room: 'r2', intervalMs: 60_000 },
];
const place = (id: string) => {
  const d = DEVICES.find((x) => x.id === id)!;
  return { site: d.site, room: d.room, device: id };
};

describe('holdFor', () => {
  it('waits, with auto, twice the longest poll interval in the scope the explaining type reaches, at least group_wait', () => {
    const hold = holdFor(DEVICES, { holdMs: 'auto', groupWaitMs: 10_000 }, new IncidentTypes(), place);
    expect(hold({ explainedBy: 'mains_failure', device: 'ups-1' })).toBe(60_000);
    expect(hold({ explainedBy: 'comms_lost', device: 'ups-1' })).toBe(20_000);
    expect(hold({ explainedBy: 'comms_lost', device: 'crac-2' })).toBe(120_000);
    expect(holdFor(DEVICES, { holdMs: 'auto', groupWaitMs: 90_000 }, new IncidentTypes(), place)({ explainedBy: 'comms_lost', device: 'ups-1' })).toBe(90_000);
  });

  it('holds nothing an incident type does not explain, and takes a configured duration as it is', () => {
    const hold = holdFor(DEVICES, { holdMs: 'auto', groupWaitMs: 10_000 }, new IncidentTypes(), place);
    expect(hold({ device: 'ups-1' })).toBe(0);
    expect(hold({ explainedBy: 'no_such_type', device: 'ups-1' })).toBe(0);
    expect(holdFor(DEVICES, { holdMs: 5_000, groupWaitMs: 10_000 }, new IncidentTypes(), place)({ explainedBy: 'mains_failure', device: 'ups-1' })).toBe(5_000);
  });
});
