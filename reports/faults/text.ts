import type { BreakdownRow, Dimension, FaultReport, PeriodFigures } from './report.js';

export type Lang = 'zh-CN' | 'en';

const WORDS = {
  en: {
    title: 'Fault statistics', zone: 'time zone', period: 'period', previous: 'previous period (环比)', yearAgo: 'same period last year (同比)',
    faults: 'faults', incidents: 'incidents', members: 'alerts in incidents', acked: 'acknowledged', ackedIn: 'ack in time', mtta: 'MTTA', resolved: 'resolved',
    mttr: 'MTTR', resolvedIn: 'resolved in time', rate: 'resolution rate', unacked: 'unacknowledged', change: 'change', noisy: 'Noisy devices', device: 'device',
    flapping: 'flapping', none: '(none)', open: 'still open', closed: 'resolved', unackedList: 'Unacknowledged faults',
    by: { category: 'By category', severity: 'By severity', site: 'By site', room: 'By room', device_type: 'By device type' } as Record<Dimension, string>,
    name: 'name', prev: 'prev.', yago: 'last yr',
    names: {
      power: 'power', cooling: 'cooling', environment: 'environment', communication: 'communication', roomwatch: 'roomwatch',
      critical: 'critical', major: 'major', minor: 'minor', warning: 'warning',
    } as Record<string, string>,
  },
  'zh-CN': {
    title: '故障统计', zone: '时区', period: '统计周期', previous: '上一周期（环比）', yearAgo: '去年同期（同比）',
    faults: '故障数', incidents: '事件', members: '事件内告警', acked: '已确认', ackedIn: '按时确认', mtta: '平均确认时长', resolved: '已恢复',
    mttr: '平均修复时长', resolvedIn: '按时恢复', rate: '修复率', unacked: '未确认', change: '变化', noisy: '频发设备', device: '设备',
    flapping: '抖动次数', none: '（无）', open: '未恢复', closed: '已恢复', unackedList: '未确认的故障',
    by: { category: '按类别', severity: '按级别', site: '按站点', room: '按机房', device_type: '按设备类型' } as Record<Dimension, string>,
    name: '名称', prev: '环比', yago: '同比',
    names: {
      power: '动力', cooling: '空调', environment: '环境', communication: '通信', roomwatch: '监控系统',
      critical: '紧急', major: '重要', minor: '次要', warning: '提示',
    } as Record<string, string>,
  },
} as const;

function duration(seconds: number | null): string {
  if (seconds === null) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const percent = (r: number | null) => (r === null ? '-' : `${(r * 100).toFixed(1)}%`);
const signed = (r: number | null) => (r === null ? '-' : `${r >= 0 ? '+' : ''}${(r * 100).toFixed(1)}%`);

/** Display width: CJK characters take two columns in a terminal. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c + ' '.repeat(widths[i]! - width(c)) : ' '.repeat(widths[i]! - width(c)) + c)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The report as text tables, in zh-CN or en. */
export function faultReportText(report: FaultReport, lang: Lang): string {
  const w = WORDS[lang];
  const label = (key: string) => w.names[key] ?? key;
  const periodLine = (title: string, p: PeriodFigures) => `${title}: ${p.period.from} … ${p.period.to}`;
  const out: string[] = [`${w.title}  (${w.zone} ${report.timezone})`, periodLine(w.period, report.current), periodLine(w.previous, report.previous), periodLine(w.yearAgo, report.year_ago), ''];
  const totals = (p: PeriodFigures) => [String(p.faults), String(p.incidents), String(p.members), String(p.acknowledged), duration(p.mtta_seconds), String(p.resolved), duration(p.mttr_seconds), percent(p.resolution_rate), String(p.unacknowledged)];
  out.push(
    table(
      ['', w.faults, w.incidents, w.members, w.acked, w.mtta, w.resolved, w.mttr, w.rate, w.unacked],
      [
        [w.period, ...totals(report.current)],
        [w.previous, ...totals(report.previous)],
        [w.yearAgo, ...totals(report.year_ago)],
        [`${w.change} ${w.prev}`, signed(report.change.previous.faults), '', '', '', signed(report.change.previous.mtta_seconds), '', signed(report.change.previous.mttr_seconds), signed(report.change.previous.resolution_rate), ''],
        [`${w.change} ${w.yago}`, signed(report.change.year_ago.faults), '', '', '', signed(report.change.year_ago.mtta_seconds), '', signed(report.change.year_ago.mttr_seconds), signed(report.change.year_ago.resolution_rate), ''],
      ],
    ),
  );
  for (const [dimension, rows] of Object.entries(report.breakdowns) as Array<[Dimension, BreakdownRow[]]>) {
    const named = dimension === 'category' || dimension === 'severity';
    out.push(
      '',
      w.by[dimension],
      table(
        [w.name, w.faults, w.prev, w.yago, w.incidents, w.acked, w.ackedIn, w.mtta, w.resolvedIn, w.mttr, w.rate, w.unacked],
        rows.map((r) => [named ? label(r.key) : r.name || '-', String(r.faults), signed(r.change_previous), signed(r.change_year_ago), String(r.incidents), String(r.acknowledged), String(r.acknowledged_within_limit), duration(r.mtta_seconds), String(r.resolved_within_limit), duration(r.mttr_seconds), percent(r.resolution_rate), String(r.unacknowledged)]),
      ),
    );
  }
  out.push('', w.noisy);
  out.push(report.noisy_devices.length ? table([w.device, w.faults, w.flapping], report.noisy_devices.map((d) => [`${d.siteName} / ${d.roomName} / ${d.deviceName}`, String(d.faults), String(d.flapping)])) : w.none);
  out.push('', `${w.unackedList} (${report.unacknowledged.length})`);
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone: report.timezone, dateStyle: 'short', timeStyle: 'short' });
  for (const f of report.unacknowledged.slice(0, 50)) {
    out.push(`  ${local.format(new Date(f.opened_at))}  ${label(f.severity)}  ${label(f.category)}  ${f.site_name} / ${f.room_name} / ${f.device_name}  ${f.resolved ? w.closed : w.open}`);
  }
  return `${out.join('\n')}\n`;
}
