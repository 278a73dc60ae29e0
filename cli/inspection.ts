import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RoomwatchConfig } from '../app/config/load.js';
import { EmailNotifier } from '../alerting/notify/email/notifier.js';
import type { EmailSettings } from '../alerting/notify/email/schema.js';
import { influxQuery } from '../reports/influx-query.js';
import { gatherDay } from '../reports/inspection/gather.js';
import { buildReport, type InspectionReport } from '../reports/inspection/model.js';
import type { InspectionSetup } from '../reports/inspection/plan.js';
import { renderHtml } from '../reports/inspection/render-html.js';
import { renderText, subjectOf } from '../reports/inspection/render-text.js';
import type { Lang } from '../reports/inspection/texts.js';

/** Where the inspection report meets the rest: the config, InfluxDB and the alerting e-mail receivers. */

export function inspectionSetup(config: RoomwatchConfig): InspectionSetup {
  return { sites: config.sites, devices: config.devices, timezone: config.reports.timezone, nearThreshold: config.reports.inspection.nearThreshold };
}

export async function makeInspection(config: RoomwatchConfig, date: string, now: number): Promise<InspectionReport> {
  const influx = config.influx;
  const query = influxQuery({ url: influx.url, database: influx.database, username: influx.username, password: influx.password?.reveal(), timeoutMs: influx.timeoutMs });
  const setup = inspectionSetup(config);
  return buildReport(setup, await gatherDay(query, setup, date, now), now);
}

/** Written under a temporary name and renamed: a reader (or the daily run's "already done?") never sees half a file. */
export function writeReport(file: string, html: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, html);
  renameSync(`${file}.tmp`, file);
}

/** The e-mail receivers the report goes to: `reports.inspection.receivers` (load.ts checked they are e-mail). */
export function inspectionReceivers(config: RoomwatchConfig): EmailSettings[] {
  const ids = new Set(config.reports.inspection.receivers);
  return config.alerting.receivers.filter((r): r is EmailSettings => r.type === 'email' && ids.has(r.id));
}

/** Mails the report to each receiver in its own language, through its SMTP settings; the first failure is thrown after all were tried. */
export async function mailInspection(report: InspectionReport, receivers: readonly EmailSettings[], lang?: Lang): Promise<void> {
  const failures: string[] = [];
  for (const receiver of receivers) {
    const language: Lang = lang ?? (receiver.language === 'en' ? 'en' : 'zh-CN');
    const message = { type: 'email' as const, subject: subjectOf(report, language), text: renderText(report, language), html: renderHtml(report, language) };
    try {
      await new EmailNotifier(receiver).send(message, `inspection-${report.date}-${receiver.id}`);
    } catch (error) {
      failures.push(`receiver "${receiver.id}": ${(error as Error).message}`);
    }
  }
  if (failures.length) throw new Error(`inspection report ${report.date} not mailed to ${failures.join('; ')}`);
}
