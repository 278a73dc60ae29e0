import { duration, stamp, value } from './format.js';
import type { InspectionReport } from './model.js';
import { attention } from './render-html.js';
import { fieldName, SEVERITY, text, type Lang } from './texts.js';

/** The mail's plain-text part: the summary, what needs attention and the alerts; the HTML has the rest. */
export function renderText(report: InspectionReport, lang: Lang): string {
  const t = (k: Parameters<typeof text>[1]) => text(lang, k);
  const a = attention(report);
  const lines = [`${t('title')} ${report.date} (${report.timezone})`, '', `${t('rooms')}: ${a.rooms}  ${t('devices')}: ${a.devices}  ${t('alerts')}: ${a.alerts}  ${t('down')}: ${a.down}  ${t('near')}: ${a.near}`, ''];
  for (const room of report.rooms) {
    lines.push(`== ${room.siteName} / ${room.roomName}`);
    for (const d of room.devices) {
      for (const m of d.measured.filter((x) => x.field === 'temperature' || x.field === 'humidity')) {
        lines.push(`  ${d.name} ${fieldName(lang, m.field)}: ${t('min')} ${value(m.stat?.min, m.unit)} ${t('mean')} ${value(m.stat?.mean, m.unit)} ${t('max')} ${value(m.stat?.max, m.unit)}`);
      }
      if (d.energyKWh !== undefined) lines.push(`  ${d.name} ${t('energy')}: ${value(d.energyKWh, 'kWh')}`);
      for (const s of d.down) lines.push(`  ${d.name} ${t('down')}: ${stamp(s.from, report.timezone)} ${duration((s.to - s.from) / 1000, lang)}`);
      if (d.silent) lines.push(`  ${d.name}: ${t('silent')}`);
    }
  }
  lines.push('', `== ${t('alerts')}`);
  for (const al of report.alerts.filter((x) => x.fault !== 'member')) {
    const ack = al.ackBy ? `${t('ackBy')} ${al.ackBy} ${duration(al.ackAfterS ?? 0, lang)}` : t('notAcked');
    lines.push(`  ${stamp(al.opened, report.timezone)} [${SEVERITY[al.severity]?.[lang] ?? al.severity}] ${[al.site, al.room, al.device].join(' / ')} ${al.rule} — ${ack}`);
  }
  if (!a.alerts) lines.push(`  ${t('none')}`);
  return `${lines.join('\n')}\n`;
}

/** `[巡检报告] 2026-12-01 省公司、安吉县分公司 告警 3 / 通信中断 1` */
export function subjectOf(report: InspectionReport, lang: Lang): string {
  const a = attention(report);
  const sites = [...new Set(report.rooms.map((r) => r.siteName))].join(lang === 'zh-CN' ? '、' : ', ');
  return `[${text(lang, 'subject')}] ${report.date} ${sites} ${text(lang, 'alerts')} ${a.alerts} / ${text(lang, 'down')} ${a.down}`;
}
