import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type RoomwatchConfig } from '../../app/config/load.js';
import { formatIssue } from '../../common/config/yaml-source.js';

/**
 * Every secret the API test configuration holds, by where it is. Each value is distinct and
 * unguessable from the rest of the file, so finding one in an answer means it leaked.
 */
export const API_TEST_SECRETS = {
  influxPassword: 'influx-pw-9c1e55',
  influxUrlPassword: 'urlpw-4be7d1',
  apiToken: 'api-token-5d0f8a31',
  community: 'comm-2f7a9e',
  authKey: 'authkey-81c3d0aa',
  privKey: 'privkey-f29e4b7c',
  smtpPassword: 'smtp-pw-6a2d91',
  dingtalkToken: 'dt-access-0e83b6c4',
  dingtalkSecret: 'SECdt-7b14e2f9',
  wecomKey: 'wecom-key-3c9d10ab',
  feishuHook: 'feishu-hook-5e6f7a8b',
  feishuSecret: 'feishu-sec-1a2b3c4d',
  webhookKey: 'hook-key-9f8e7d6c',
  datasourceToken: 'ds-token-44ab21',
} as const;

export interface ApiTestConfigOptions {
  /** influxdb.url; a closed port unless a test runs a real influxd. */
  influxUrl?: string;
  database?: string;
  /** Extra YAML appended at the end. */
  extra?: string;
}

/**
 * The configuration of the API tests: two sites, three rooms, a meter (Modbus), a v2c UPS and a
 * v3 UPS (SNMP), a receiver of every type, and every kind of secret the schema has (inline, so
 * the file holds them all).
 */
export function writeApiTestConfig(options: ApiTestConfigOptions = {}): string {
  const s = API_TEST_SECRETS;
  const dir = mkdtempSync(join(tmpdir(), 'roomwatch-api-'));
  const file = join(dir, 'roomwatch.yaml');
  const influxUrl = options.influxUrl ?? 'http://127.0.0.1:9';
  writeFileSync(
    file,
    `influxdb: { url: "${influxUrl}", database: ${options.database ?? 'api_test'}, username: roomwatch, password: "${s.influxPassword}", timeout: 2s }
spool: { dir: spool }
api: { listen: "127.0.0.1:0", token: "${s.apiToken}" }
dashboards:
  datasource: { url: "http://grafana:${s.influxUrlPassword}@influx.example:8086/?token=${s.datasourceToken}" }
alerting:
  state_dir: alerts
  receivers:
    - { id: duty-mail, type: email, from: roomwatch@example.com, to: [duty@example.com], smtp: { host: smtp.example.com, username: roomwatch, password: "${s.smtpPassword}" } }
    - { id: dingtalk, type: dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=${s.dingtalkToken}", secret: "${s.dingtalkSecret}" }
    - { id: wecom, type: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${s.wecomKey}" }
    - { id: feishu, type: feishu, url: "https://open.feishu.cn/open-apis/bot/v2/hook/${s.feishuHook}", secret: "${s.feishuSecret}" }
    - { id: noc, type: webhook, url: "https://noc.example.com/hook?key=${s.webhookKey}" }
  routes:
    - { severities: [critical, major], receivers: [duty-mail, wecom], escalate_after: 15m, escalate_to: [dingtalk] }
    - { severities: [minor, warning], receivers: [noc, feishu] }
sites:
  - id: hz
    name: 杭州
    rooms:
      - { id: r1, name: 一楼机房 }
      - { id: r2, name: 二楼机房 }
  - id: aj
    name: 安吉
    rooms:
      - { id: r9 }
devices:
  - { id: meter-1, name: 1号电表, site: hz, room: r1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: 9, timeout: 300ms, retries: 0 } }
  - { id: ups-1, site: hz, room: r2, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: 9, community: "${s.community}", timeout: 300ms, retries: 0 } }
  - id: ups-2
    site: aj
    room: r9
    template: apc-powernet-ups
    snmp: { host: 127.0.0.1, port: 9, version: "3", user: monitor, security_level: authPriv, auth_protocol: sha256, auth_key: "${s.authKey}", priv_protocol: aes, priv_key: "${s.privKey}", timeout: 300ms, retries: 0 }
${options.extra ?? ''}`,
  );
  return file;
}

/** Loads a configuration the test wrote; a problem in it is the test's bug, said in full. */
export function loadTestConfig(file: string): RoomwatchConfig {
  const result = loadConfig(file, {});
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.config;
}
