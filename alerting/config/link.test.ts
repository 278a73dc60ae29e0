import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config/load.js';
import { formatIssue } from '../../common/config/yaml-source.js';

/** A config with one device and the given api and alerting sections. */
function load(api: string, alerting: string) {
  const dir = mkdtempSync(join(tmpdir(), 'link-'));
  const file = join(dir, 'roomwatch.yaml');
  writeFileSync(file, `sites: [{ id: s, rooms: [{ id: r }] }]
${api}
alerting:
  state_dir: alerts
${alerting}
devices:
  - { id: ups-1, site: s, room: r, template: ups-rfc1628, snmp: { host: 10.0.0.1, community: c } }
`);
  const loaded = loadConfig(file, {});
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join('\n'));
  return { linkUrl: loaded.config.alerting.linkUrl, warnings: loaded.config.warnings.map((w) => `${w.line}: ${w.message}`) };
}

const RECEIVER = '  receivers: [{ id: noc, type: webhook, url: "http://10.1.1.1/hook" }]';

describe('the link in messages (alerting.link_url)', () => {
  it('defaults to the API, and validate warns that a loopback link opens only on this host when messages go out', () => {
    const { linkUrl, warnings } = load('api: { listen: "127.0.0.1:8080" }', RECEIVER);
    expect(linkUrl).toBe('http://127.0.0.1:8080');
    expect(warnings).toEqual(['3: the link in messages (http://127.0.0.1:8080) opens only on this host; set alerting.link_url to an address the receivers\' readers can reach']);
  });

  it('says nothing of a loopback link when there are no receivers', () => {
    expect(load('api: { listen: "127.0.0.1:8080" }', '')).toEqual({ linkUrl: 'http://127.0.0.1:8080', warnings: [] });
  });

  it('takes link_url, else console_url, without a trailing slash, and warns at the key that set a loopback one', () => {
    expect(load('', `${RECEIVER}\n  link_url: https://noc.example.com/roomwatch/`)).toEqual({ linkUrl: 'https://noc.example.com/roomwatch', warnings: [] });
    expect(load('', `${RECEIVER}\n  console_url: http://10.2.0.8:3000`)).toEqual({ linkUrl: 'http://10.2.0.8:3000', warnings: [] });
    expect(load('', `${RECEIVER}\n  console_url: http://localhost:3000`).warnings).toEqual([expect.stringMatching(/^6: the link in messages \(http:\/\/localhost:3000\) opens only on this host/)]);
  });

  it('names this host when the API listens on every interface', () => {
    expect(load('api: { listen: "0.0.0.0:8080" }', RECEIVER)).toEqual({ linkUrl: `http://${hostname()}:8080`, warnings: [] });
  });

  it('refuses a link_url that is not an http(s) URL, at its line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'link-'));
    const file = join(dir, 'roomwatch.yaml');
    writeFileSync(file, 'sites: [{ id: s, rooms: [{ id: r }] }]\nalerting:\n  link_url: noc.example.com\ndevices:\n  - { id: ups-1, site: s, room: r, template: ups-rfc1628, snmp: { host: 10.0.0.1, community: c } }\n');
    const loaded = loadConfig(file, {});
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.issues.map((i) => `${i.line}: ${i.path}`)).toEqual([expect.stringMatching(/^3: alerting\.link_url/)]);
  });
});
