import type { Alert } from '../../alerting/alerts.js';

/** An alert as the engine holds one, for API tests; fields override the defaults. */
export function testAlert(fields: Partial<Alert> & Pick<Alert, 'id' | 'device'>): Alert {
  return {
    key: `${fields.device}|${fields.rule ?? 'phase_voltage_low'}`,
    rule: 'phase_voltage_low',
    severity: 'major',
    summary: { en: 'Phase voltage low', 'zh-CN': '相电压低' },
    source: 'rule',
    labels: {},
    status: 'firing',
    flapping: false,
    threshold: '< 198',
    measurement: 'power_meter',
    field: 'voltage',
    firingSince: Date.parse('2026-12-01T08:00:00Z'),
    notes: [],
    tiers: [0],
    ...fields,
  };
}
