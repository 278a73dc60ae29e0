import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { RoomwatchConfig } from '../app/config/load.js';
import type { Component } from '../common/lifecycle.js';
import { addDays, localDate, localToInstant, minutesOf, nextRunAt } from '../reports/local-time.js';
import { renderHtml } from '../reports/inspection/render-html.js';
import type { Lang } from '../reports/inspection/texts.js';
import { inspectionReceivers, mailInspection, makeInspection, writeReport } from './inspection.js';

/**
 * The daily inspection report: at reports.inspection.at (local), the report of the day before is
 * written to out_dir (one file per language its receivers read) and mailed. A day whose file exists
 * is done, so a restart after the time neither resends nor skips it. Failures are logged, never thrown.
 */
export function dailyInspection(config: RoomwatchConfig, log: Logger): Component | undefined {
  const { at, outDir } = config.reports.inspection;
  if (!at) return undefined;
  const tz = config.reports.timezone;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const receivers = inspectionReceivers(config);
  const langs = [...new Set<Lang>(receivers.length ? receivers.map((r) => (r.language === 'en' ? 'en' : 'zh-CN')) : ['zh-CN'])];
  const fileOf = (date: string, lang: Lang) => join(outDir, `inspection-${date}.${lang}.html`);

  const run = async (date: string) => {
    if (langs.every((lang) => existsSync(fileOf(date, lang)))) return;
    try {
      const report = await makeInspection(config, date, Date.now());
      // Mailed first: the files mark the day done, so a failed mail is tried again after a restart.
      if (receivers.length) await mailInspection(report, receivers);
      for (const lang of langs) writeReport(fileOf(date, lang), renderHtml(report, lang));
      log.info({ date, dir: outDir, receivers: receivers.map((r) => r.id) }, 'inspection report made');
    } catch (error) {
      log.error({ date, err: (error as Error).message }, 'inspection report failed');
    }
  };
  const schedule = () => {
    if (stopped) return;
    const next = nextRunAt(Date.now(), at, tz);
    timer = setTimeout(() => void run(addDays(next.date, -1)).finally(schedule), Math.min(next.at - Date.now(), 2 ** 31 - 1));
    timer.unref();
  };
  return {
    name: 'inspection',
    onStartFailure: 'degraded',
    start: () => {
      stopped = false;
      const today = localDate(Date.now(), tz);
      // Started after today's time: today's report (of yesterday) is made now unless already written.
      if (Date.now() >= localToInstant(today, minutesOf(at), tz)) void run(addDays(today, -1));
      schedule();
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
