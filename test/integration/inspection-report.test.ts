import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type RoomwatchConfig } from '../../app/config/load.js';
import { inspectionReceivers, mailInspection, makeInspection } from '../../cli/inspection.js';
import { dailyInspection } from '../../cli/inspection-daily.js';
import { capturingLog } from '../helpers/capturing-log.js';
import { addDays, localDate } from '../../reports/local-time.js';
import { freePort, TestInfluxd } from '../../mocks/influxd.js';
import { renderHtml } from '../../reports/inspection/render-html.js';
import { localDay } from '../../reports/local-time.js';
import { MailCatcher } from '../helpers/receivers.js';

/**
 * A scripted day in a real influxd: readings every 10 minutes whose min/mean/max are known by
 * construction, a sensor that stopped answering for 30 minutes, and one acknowledged alert. The
 * report is rendered, mailed to an in-process SMTP server and opened in Debian's chromium.
 */
const DATE = '2026-11-30';
const TZ = 'Asia/Shanghai';
const { start } = localDay(DATE, TZ);
const STEP = 10 * 60_000;
const dir = mkdtempSync(join(tmpdir(), 'inspection-'));
const influxd = new TestInfluxd();
let mail: MailCatcher;
let config: RoomwatchConfig;

const where = 'site=prov,room=room-1';
const write = (lines: string[], rp = 'raw'): Promise<void> => influxd.write('roomwatch', lines, { rp, precision: 'ms' });

beforeAll(async () => {
  await influxd.start();
  mail = new MailCatcher(await freePort());
  await mail.start();
  for (const q of ['CREATE DATABASE roomwatch', 'CREATE RETENTION POLICY raw ON roomwatch DURATION 0s REPLICATION 1 DEFAULT', 'CREATE RETENTION POLICY events ON roomwatch DURATION 0s REPLICATION 1']) {
    await fetch(`${influxd.url}/query?q=${encodeURIComponent(q)}`, { method: 'POST' });
  }
  const lines: string[] = [];
  for (let i = 0; i < 144; i++) {
    const t = start + i * STEP;
    // Temperatures 22, 24, 26.5 in turn: min 22, max 26.5 (within 10 % of the 18–27 band from 27), mean 24.1667.
    lines.push(`environment,${where},device=th-1,device_type=th-sensor-modbus temperature=${[22, 24, 26.5][i % 3]},humidity=${40 + (i % 2) * 10} ${t}`);
    lines.push(`ups,${where},device=ups-1,device_type=ups-rfc1628,phase=1 output_load=${i % 2 ? 60 : 40} ${t}`);
    lines.push(`ups,${where},device=ups-1,device_type=ups-rfc1628 battery_charge=100,battery_runtime_remaining=42,battery_status=2,output_source=${i === 50 ? 5 : 3} ${t}`);
    lines.push(`power_meter,${where},device=meter-1,device_type=sdm630 power_active_total=12000,energy_import_active=${1000 + i} ${t}`);
    // th-1 missed polls from 08:00 to 08:30 local (three failed polls at 08:00, 08:10, 08:20).
    lines.push(`device_health,${where},device=th-1 comms=${i >= 48 && i < 51 ? 0 : 1} ${t}`);
  }
  await write(lines);
  const opened = start + 9 * 3_600_000;
  const tags = `${where},device=ups-1,device_type=ups-rfc1628,site_name=省公司,room_name=省公司三楼主机房,device_name=1号UPS,rule=ups_on_battery,severity=critical,category=power,fault=single`;
  await write(
    [
      `alert_events,${tags},event=opened alert_id="a1",value=5 ${opened}`,
      `alert_events,${tags},event=acknowledged alert_id="a1",ack_after_s=300,ack_by="张工" ${opened + 300_000}`,
      `alert_events,${tags},event=resolved alert_id="a1",duration_s=1200,reason="cleared" ${opened + 1_200_000}`,
    ],
    'events',
  );
  writeFileSync(
    join(dir, 'roomwatch.yaml'),
    `influxdb: { url: "${influxd.url}", database: roomwatch }
spool: { dir: spool }
collector: { default_interval: 10m }
alerting:
  state_dir: alerts
  receivers:
    - { id: duty-mail, type: email, language: zh-CN, from: roomwatch@example.com, to: [duty@example.com], smtp: { host: 127.0.0.1, port: ${mail.port}, security: none }, timeout: 3s }
reports:
  inspection: { at: "00:00", receivers: [duty-mail], out_dir: reports }
sites:
  - { id: prov, name: 省公司, rooms: [{ id: room-1, name: "省公司三楼主机房 <A&B>" }] }
devices:
  - { id: th-1, name: 冷通道温湿度, site: prov, room: room-1, template: th-sensor-modbus, modbus: { transport: tcp, host: 127.0.0.1, port: 15103, unit_id: 1 } }
  - { id: ups-1, name: 1号UPS, site: prov, room: room-1, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: 11601, version: "2c", community: public } }
  - { id: meter-1, name: 进线柜电表, site: prov, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: 15102, unit_id: 1 } }
`,
  );
  const loaded = loadConfig(join(dir, 'roomwatch.yaml'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  config = loaded.config;
});
afterAll(async () => {
  await mail.stop();
  await influxd.destroy();
});

describe('inspection report from a real influxd', () => {
  it('shows the day’s figures, the missed polls, the acknowledged alert and a sign-off block', async () => {
    const report = await makeInspection(config, DATE, start + 2 * 86_400_000);
    const th = report.rooms[0]!.devices.find((d) => d.id === 'th-1')!;
    const temperature = th.measured.find((m) => m.field === 'temperature')!;
    expect(temperature.stat).toMatchObject({ min: 22, max: 26.5 });
    expect(temperature.stat!.mean).toBeCloseTo((22 + 24 + 26.5) / 3, 6);
    expect(temperature.level).toBe('near');
    expect(th.down).toEqual([{ from: start + 48 * STEP, to: start + 51 * STEP }]);
    const meter = report.rooms[0]!.devices.find((d) => d.id === 'meter-1')!;
    expect(meter.energyKWh).toBe(143);
    const ups = report.rooms[0]!.devices.find((d) => d.id === 'ups-1')!;
    expect(ups.measured.find((m) => m.field === 'output_load')!.stat).toMatchObject({ min: 40, max: 60, mean: 50 });
    expect(ups.states.find((s) => s.field === 'output_source')).toMatchObject({ last: 3, seen: [3, 5], alarmed: true });

    const html = renderHtml(report, 'zh-CN');
    expect(html).toContain('省公司三楼主机房 &lt;A&amp;B&gt;');
    expect(html).not.toContain('<A&B>');
    for (const figure of ['22.0°C', '24.2°C', '26.5°C', '143 kWh', '张工', '5分', '30分', '电池供电', '巡检人', '审核人']) expect(html).toContain(figure);
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync('test-artifacts/inspection-report.zh-CN.html', html);
    writeFileSync('test-artifacts/inspection-report.en.html', renderHtml(report, 'en'));
  });

  it('mails the report with an HTML and a plain-text part to the configured receivers', async () => {
    const report = await makeInspection(config, DATE, start + 2 * 86_400_000);
    await mailInspection(report, inspectionReceivers(config));
    const got = mail.mails.at(-1)!;
    expect(got.subject).toBe('[巡检报告] 2026-11-30 省公司 当日告警 1 / 通信中断 1');
    expect(got.html).toContain('冷通道温湿度');
    expect(got.html).toContain('26.5°C');
    expect(got.text).toContain('冷通道温湿度 温度: 最小 22.0°C 平均 24.2°C 最大 26.5°C');
    expect(got.text).toContain('张工');
  });

  it('renders in chromium without horizontal overflow, and a full-page screenshot is kept', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await page.goto(`file://${join(process.cwd(), 'test-artifacts/inspection-report.zh-CN.html')}`);
      await expect(page.getByRole('heading', { name: '省公司 / 省公司三楼主机房 <A&B>' }).isVisible()).resolves.toBe(true);
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: 'test-artifacts/inspection-report.zh-CN.png', fullPage: true });
      await page.goto(`file://${join(process.cwd(), 'test-artifacts/inspection-report.en.html')}`);
      await page.screenshot({ path: 'test-artifacts/inspection-report.en.png', fullPage: true });
    } finally {
      await browser.close();
    }
    expect(readFileSync('test-artifacts/inspection-report.zh-CN.png').length).toBeGreaterThan(10_000);
  });

  it('daily: started after the configured time, it writes yesterday’s file and mails it', async () => {
    const before = mail.mails.length;
    const daily = dailyInspection(config, capturingLog().log)!;
    const yesterday = addDays(localDate(Date.now(), TZ), -1);
    const file = join(dir, 'reports', `inspection-${yesterday}.zh-CN.html`);
    await daily.start();
    try {
      await expect.poll(() => existsSync(file), { timeout: 20_000 }).toBe(true);
    } finally {
      await daily.stop();
    }
    expect(readFileSync(file, 'utf8')).toContain('冷通道温湿度');
    expect(mail.mails.slice(before).map((m) => m.subject)).toEqual([expect.stringContaining(`[巡检报告] ${yesterday} 省公司`)]);
  });
});
