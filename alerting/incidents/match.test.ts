import { describe, expect, it } from 'vitest';
import type { Incident } from './incident.js';
import { belongs, inScope, scopeOf } from './match.js';

const MIN = 60_000;
const incident = (overrides: Partial<Incident> = {}): Incident => ({
  id: 'i1', type: 'mains_failure', scope: { level: 'room', site: 'sh', room: 'r1' }, severity: 'critical', category: 'power',
  summary: { en: 'mains failure', 'zh-CN': '市电中断' }, status: 'open', openedAt: 10 * MIN, members: [], notes: [], tiers: [], ...overrides,
});
const here = { site: 'sh', room: 'r1', device: 'crac-1' };
const explained = (firingSince: number) => ({ explainedBy: 'mains_failure', firingSince });

describe('belongs (alert to incident)', () => {
  it('takes explained alerts opened from window_before ahead of the incident on, with window_after open', () => {
    const windows = { beforeMs: 2 * MIN };
    expect(belongs(explained(8 * MIN), here, incident(), windows)).toBe(true);
    expect(belongs(explained(8 * MIN - 1), here, incident(), windows)).toBe(false);
    expect(belongs(explained(90 * MIN), here, incident(), windows)).toBe(true);
    expect(belongs(explained(90 * MIN), here, incident({ status: 'resolved' }), windows)).toBe(false);
  });

  it('bounds the later side with a window_after duration', () => {
    const windows = { beforeMs: 2 * MIN, afterMs: 5 * MIN };
    expect(belongs(explained(15 * MIN), here, incident(), windows)).toBe(true);
    expect(belongs(explained(15 * MIN + 1), here, incident(), windows)).toBe(false);
  });

  it('takes another opener of the type whenever it comes, and nothing the type does not explain', () => {
    const windows = { beforeMs: 0, afterMs: 0 };
    expect(belongs({ incident: 'mains_failure', firingSince: 99 * MIN }, here, incident(), windows)).toBe(true);
    expect(belongs({ explainedBy: 'comms_lost', firingSince: 10 * MIN }, here, incident(), windows)).toBe(false);
    expect(belongs({ firingSince: 10 * MIN }, here, incident(), windows)).toBe(false);
  });

  it('compares scopes by site, room and device as the type says', () => {
    const place = { site: 'sh', room: 'r2', device: 'ups-3' };
    const types = { site: 'site', room: 'room', device: 'device' } as const;
    const scopes = Object.values(types).map((scope) => scopeOf({ name: 't', scope, category: 'power', summary: { en: '', 'zh-CN': '' } }, place));
    expect(scopes).toEqual([{ level: 'site', site: 'sh' }, { level: 'room', site: 'sh', room: 'r2' }, { level: 'device', site: 'sh', room: 'r2', device: 'ups-3' }]);
    const elsewhere = [{ ...place, device: 'ups-4' }, { ...place, room: 'r1' }, { ...place, site: 'bj' }];
    expect(scopes.map((s) => elsewhere.map((p) => inScope(s, p)))).toEqual([[true, true, false], [true, false, false], [false, false, false]]);
  });
});
