import type { AlertEntry } from './alerts.js';
import { clock, duration, escapeHtml as e, stamp, value } from './format.js';
import type { DeviceReport, InspectionReport, Measured, RoomReport, StateReport } from './model.js';
import { sparkline } from './svg.js';
import { fieldName, SEVERITY, tagName, text, type Lang } from './texts.js';

/** A self-contained page: inline CSS and SVG, no script, no external resource. */
export function renderHtml(report: InspectionReport, lang: Lang): string {
  const t = (k: Parameters<typeof text>[1]) => text(lang, k);
  const title = `${t('title')} · ${report.date}`;
  const body = [header(report, lang), summary(report, lang), ...report.rooms.map((r) => room(report, r, lang)), alerts(report, lang), nearList(report, lang), signoff(lang)].join('\n');
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(title)}</title><style>${CSS}</style></head><body><main>${body}</main></body></html>\n`;
}

const CSS = `body{margin:0;background:#eef1f5;font:14px/1.5 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#1d2733}
main{max-width:1040px;margin:0 auto;padding:24px;background:#fff}
header{border-bottom:3px solid #1f4e79;padding-bottom:12px;margin-bottom:16px;display:flex;justify-content:space-between;align-items:flex-end;flex-wrap:wrap;gap:8px}
h1{font-size:22px;margin:0;color:#1f4e79}h2{font-size:17px;margin:24px 0 8px;color:#1f4e79;border-left:4px solid #1f4e79;padding-left:8px}
h3{font-size:15px;margin:16px 0 6px;color:#33475b}.meta{color:#5b6b7b;font-size:13px}
table{border-collapse:collapse;width:100%;margin:4px 0 8px;font-size:13px}th,td{border:1px solid #d5dce4;padding:4px 8px;text-align:left;vertical-align:middle}
th{background:#f0f4f8;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ok{color:#1e7b34}.near{color:#b36b00;font-weight:600}.warn{color:#c0392b;font-weight:600}.alarm{color:#fff;background:#c0392b;font-weight:600}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px}.critical{background:#c0392b;color:#fff}.major{background:#e67e22;color:#fff}.minor{background:#f1c40f}.warning{background:#d6eaf8}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{flex:1 1 140px;border:1px solid #d5dce4;border-radius:4px;padding:8px 12px}.card b{display:block;font-size:22px;color:#1f4e79}
.room{border:1px solid #d5dce4;border-radius:4px;padding:4px 16px 12px;margin-top:16px}.sign td{height:44px}.muted{color:#8795a1}
@media print{body{background:#fff}main{padding:0}}`;

function header(r: InspectionReport, lang: Lang): string {
  const sites = [...new Set(r.rooms.map((x) => x.siteName))].join('、');
  return `<header><div><h1>${e(text(lang, 'title'))}</h1><div class="meta">${e(sites)}</div></div><div class="meta">${e(text(lang, 'date'))}: <b>${r.date}</b> · ${e(text(lang, 'zone'))}: ${e(r.timezone)}<br>${e(text(lang, 'generated'))}: ${stamp(r.generatedAt, r.timezone)}</div></header>`;
}

/** Counts a reader needs before the details: what needs attention today. */
export function attention(r: InspectionReport) {
  const devices = r.rooms.flatMap((x) => x.devices);
  return {
    rooms: r.rooms.length,
    devices: devices.length,
    alerts: r.alerts.filter((a) => a.fault !== 'member').length,
    critical: r.alerts.filter((a) => a.fault !== 'member' && a.severity === 'critical').length,
    down: devices.filter((d) => d.down.length || d.silent).length,
    near: devices.flatMap((d) => d.measured).filter((m) => m.level === 'near' || m.level === 'warn' || m.level === 'alarm').length,
  };
}

function summary(r: InspectionReport, lang: Lang): string {
  const a = attention(r);
  const card = (k: Parameters<typeof text>[1], n: number, bad = false) => `<div class="card">${e(text(lang, k))}<b class="${bad && n ? 'warn' : ''}">${n}</b></div>`;
  const fine = !a.alerts && !a.down && !a.near;
  return `<section><h2>${e(text(lang, 'summary'))}</h2><div class="cards">${card('rooms', a.rooms)}${card('devices', a.devices)}${card('alerts', a.alerts, true)}${card('down', a.down, true)}${card('near', a.near, true)}</div><p><b>${e(text(lang, 'conclusion'))}:</b> <span class="${fine ? 'ok' : 'warn'}">${e(text(lang, fine ? 'allNormal' : 'attention'))}</span></p></section>`;
}

const levelCell = (m: Measured, lang: Lang) => {
  const k = ({ ok: 'ok', near: 'nearL', warn: 'warnL', alarm: 'alarmL', nodata: 'noData' } as const)[m.level];
  return `<td class="${m.level === 'nodata' ? 'muted' : m.level}">${e(text(lang, k))}</td>`;
};
const limitsText = (m: Measured) => [m.warn.below !== undefined ? `≥ ${value(m.warn.below, m.unit)}` : '', m.warn.above !== undefined ? `≤ ${value(m.warn.above, m.unit)}` : ''].filter(Boolean).join(' · ') || '—';
const pointLabel = (m: Measured, lang: Lang) => [fieldName(lang, m.field), ...Object.values(m.tags).map((v) => tagName(lang, v))].join(' · ');

function statTable(report: InspectionReport, devices: DeviceReport[], lang: Lang, fields: readonly string[]): string {
  const rows = devices.flatMap((d) =>
    d.measured
      .filter((m) => fields.includes(m.field))
      .map((m) => `<tr><td>${e(d.name)}</td><td>${e(pointLabel(m, lang))}</td><td class="n">${value(m.stat?.min, m.unit)}</td><td class="n">${value(m.stat?.mean, m.unit)}</td><td class="n">${value(m.stat?.max, m.unit)}</td><td class="n">${limitsText(m)}</td>${levelCell(m, lang)}<td>${sparkline(m.trend, report.start, report.end, m.warn)}</td></tr>`),
  );
  if (!rows.length) return '';
  const h = (['device', 'point', 'min', 'mean', 'max', 'limits', 'status', 'trend'] as const).map((k) => `<th>${e(text(lang, k))}</th>`).join('');
  return `<table><thead><tr>${h}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function stateText(s: StateReport, v: number | undefined, lang: Lang): string {
  if (v === undefined) return text(lang, 'noData');
  return s.states[String(v)]?.[lang] ?? String(v);
}

function stateTable(devices: DeviceReport[], lang: Lang): string {
  const rows = devices.flatMap((d) =>
    d.states.map((s) => {
      const seen = s.seen.map((v) => stateText(s, v, lang)).join('、') || text(lang, 'noData');
      return `<tr><td>${e(d.name)}</td><td>${e(fieldName(lang, s.field, s.description))}</td><td class="${s.alarmed ? 'warn' : ''}">${e(stateText(s, s.last, lang))}</td><td class="${s.alarmed ? 'warn' : ''}">${e(seen)}</td></tr>`;
    }),
  );
  if (!rows.length) return '';
  return `<table><thead><tr><th>${e(text(lang, 'device'))}</th><th>${e(text(lang, 'point'))}</th><th>${e(text(lang, 'now'))}</th><th>${e(text(lang, 'seen'))}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function meterTable(report: InspectionReport, meters: DeviceReport[], lang: Lang): string {
  if (!meters.length) return '';
  const rows = meters.map((d) => {
    const p = d.measured.find((m) => m.field === 'power_active_total' || m.field === 'power_active');
    return `<tr><td>${e(d.name)}</td><td class="n">${value(p?.stat?.mean, 'W')} / ${value(p?.stat?.max, 'W')}</td><td class="n">${value(d.energyKWh, 'kWh')}</td><td>${p ? sparkline(p.trend, report.start, report.end) : ''}</td></tr>`;
  });
  return `<h3>${e(text(lang, 'meters'))}</h3><table><thead><tr><th>${e(text(lang, 'device'))}</th><th>${e(text(lang, 'power'))}</th><th>${e(text(lang, 'energy'))}</th><th>${e(text(lang, 'trend'))}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function downTable(report: InspectionReport, devices: DeviceReport[], lang: Lang): string {
  const rows = devices.flatMap((d) => {
    if (d.silent) return [`<tr><td>${e(d.name)}</td><td colspan="2" class="warn">${e(text(lang, 'silent'))}</td><td class="n">—</td></tr>`];
    return d.down.map((s) => `<tr><td>${e(d.name)}</td><td class="n">${clock(s.from, report.timezone)}</td><td class="n">${clock(s.to, report.timezone)}</td><td class="n">${duration((s.to - s.from) / 1000, lang)}</td></tr>`);
  });
  if (!rows.length) return '';
  return `<h3>${e(text(lang, 'down'))}</h3><table><thead><tr><th>${e(text(lang, 'device'))}</th><th>${e(text(lang, 'from'))}</th><th>${e(text(lang, 'to'))}</th><th>${e(text(lang, 'duration'))}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function room(report: InspectionReport, r: RoomReport, lang: Lang): string {
  const of = (...categories: string[]) => r.devices.filter((d) => categories.includes(d.category));
  const section = (k: Parameters<typeof text>[1], html: string) => (html ? `<h3>${e(text(lang, k))}</h3>${html}` : '');
  const parts = [
    section('climate', statTable(report, of('environment', 'crac'), lang, ['temperature', 'humidity'])),
    section('ups', statTable(report, of('ups'), lang, ['output_load', 'battery_charge', 'battery_runtime_remaining']) + stateTable(of('ups'), lang)),
    section('crac', stateTable(of('crac'), lang)),
    meterTable(report, of('power_meter'), lang),
    section('other', stateTable(r.devices.filter((d) => !['ups', 'crac', 'power_meter'].includes(d.category)), lang)),
    downTable(report, r.devices, lang),
  ];
  return `<section class="room"><h2>${e(r.siteName)} / ${e(r.roomName)}</h2>${parts.join('')}</section>`;
}

function alertRow(report: InspectionReport, a: AlertEntry, lang: Lang): string {
  const sev = SEVERITY[a.severity]?.[lang] ?? a.severity;
  const what = a.fault === 'incident' ? `${text(lang, 'incident')}: ${a.rule}${a.members !== undefined ? ` (${a.members} ${text(lang, 'membersOf')})` : ''}` : a.rule;
  const ack = a.ackBy ? `${e(a.ackBy)}</td><td class="n">${duration(a.ackAfterS ?? 0, lang)}` : `<span class="warn">${e(text(lang, 'notAcked'))}</span></td><td class="n">—`;
  const resolved = a.resolvedAt !== undefined ? `${stamp(a.resolvedAt, report.timezone).slice(5)}${a.durationS !== undefined ? ` (${duration(a.durationS, lang)})` : ''}` : `<span class="warn">${e(text(lang, 'active'))}</span>`;
  const indent = a.fault === 'member' ? ' style="padding-left:24px"' : '';
  return `<tr><td class="n">${stamp(a.opened, report.timezone).slice(5)}</td><td><span class="badge ${e(a.severity)}">${e(sev)}</span></td><td>${e([a.site, a.room, a.device].filter(Boolean).join(' / '))}</td><td${indent}>${e(what)}</td><td>${ack}</td><td class="n">${resolved}</td></tr>`;
}

function alerts(report: InspectionReport, lang: Lang): string {
  const heads = (['opened', 'severity', 'where', 'alert', 'ackBy', 'ackAfter', 'resolved'] as const).map((k) => `<th>${e(text(lang, k))}</th>`).join('');
  // An incident's members right under it.
  const ordered = report.alerts.filter((a) => a.fault !== 'member').flatMap((a) => [a, ...(a.fault === 'incident' ? report.alerts.filter((m) => m.fault === 'member' && m.incident === a.id) : [])]);
  const orphans = report.alerts.filter((m) => m.fault === 'member' && !ordered.includes(m));
  const rows = [...ordered, ...orphans].map((a) => alertRow(report, a, lang)).join('');
  return `<section><h2>${e(text(lang, 'alerts'))}</h2>${rows ? `<table><thead><tr>${heads}</tr></thead><tbody>${rows}</tbody></table>` : `<p class="ok">${e(text(lang, 'none'))}</p>`}</section>`;
}

function nearList(report: InspectionReport, lang: Lang): string {
  const rows = report.rooms.flatMap((r) =>
    r.devices.flatMap((d) =>
      d.measured
        .filter((m) => m.closest && m.level !== 'ok')
        .map((m) => `<tr><td>${e(r.roomName)} / ${e(d.name)}</td><td>${e(pointLabel(m, lang))}</td><td class="n">${value(m.closest!.value, m.unit)}</td><td class="n">${m.closest!.side === 'above' ? '≤' : '≥'} ${value(m.closest!.limit, m.unit)}</td>${levelCell(m, lang)}</tr>`),
    ),
  );
  const note = `<p class="meta">${e(text(lang, 'nearNote'))} ${Math.round(report.nearThreshold * 100)}% ${e(text(lang, 'nearNote2'))}</p>`;
  const table = rows.length
    ? `<table><thead><tr><th>${e(text(lang, 'device'))}</th><th>${e(text(lang, 'point'))}</th><th>${e(text(lang, 'reading'))}</th><th>${e(text(lang, 'limit'))}</th><th>${e(text(lang, 'status'))}</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
    : `<p class="ok">${e(text(lang, 'none'))}</p>`;
  return `<section><h2>${e(text(lang, 'near'))}</h2>${table}${note}</section>`;
}

function signoff(lang: Lang): string {
  const t = (k: Parameters<typeof text>[1]) => e(text(lang, k));
  return `<section><h2>${t('signoff')}</h2><table class="sign"><tbody><tr><th style="width:16%">${t('inspector')}</th><td></td><th style="width:16%">${t('signature')}</th><td></td><th style="width:12%">${t('date')}</th><td style="width:16%"></td></tr><tr><th>${t('reviewer')}</th><td></td><th>${t('signature')}</th><td></td><th>${t('date')}</th><td></td></tr><tr><th>${t('remarks')}</th><td colspan="5" style="height:64px"></td></tr></tbody></table></section>`;
}
