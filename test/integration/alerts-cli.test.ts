import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../mocks/influxd.js';
import { daemonTestBed } from '../helpers/daemon-bed.js';
import { eventually, runCli, startDaemon } from '../helpers/processes.js';

// `roomwatch alerts` and the single-alert route against the real daemon: a UPS nobody answers
// for raises its comms alert, which the CLI lists, shows and acknowledges through the API the
// run command wires.
const { influxd, children } = daemonTestBed();
const TOKEN = 'alerts-cli-token-5521';

describe('roomwatch alerts against the daemon', () => {
  it('lists, shows and acknowledges an alert the daemon raised; GET /api/alerts/:id answers it and 404s an unknown id', async () => {
    const apiPort = await freePort();
    const silentPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'alerts-cli-'));
    const file = join(dir, 'roomwatch.yaml');
    writeFileSync(
      file,
      `influxdb: { url: "${influxd.url}", database: alerts_cli, flush_interval: 200ms }
spool: { dir: spool }
api: { listen: "127.0.0.1:${apiPort}", token: { env: RW_API_TOKEN } }
collector: { default_interval: 1s }
alerting: { state_dir: alerts, comms_lost_polls: 1 }
sites:
  - id: site-a
    rooms: [{ id: room-1 }]
devices:
  - { id: ups-1, site: site-a, room: room-1, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: ${silentPort}, community: public, timeout: 300ms, retries: 0 } }
`,
    );
    const daemon = startDaemon(file, { RW_API_TOKEN: TOKEN });
    children.push(daemon);
    await daemon.waitFor('roomwatch running');
    const api = `http://127.0.0.1:${apiPort}`;
    type Listed = { id: string; device: string; status: string; ack?: { by: string }; display?: { en: { value?: string; state: boolean } } };
    const raised = await eventually(async () => {
      const { active } = (await (await fetch(`${api}/api/alerts`)).json()) as { active: Listed[] };
      return active.find((a) => a.device === 'ups-1');
    }, 20_000, 'the comms alert of ups-1');
    expect(raised.display?.en).toMatchObject({ value: 'not answering', state: true });

    const listed = await runCli(['alerts', '--api', api, '--lang', 'en']);
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    const line = listed.stdout.split('\n').find((l) => l.includes(raised.id));
    // The value as the daemon's display says it: a state name, not the raw 0.
    expect(line).toMatch(new RegExp(`${raised.id} {2}\\w+ {2}firing {2}ups-1 {2}.+ {2}state not answering \\(threshold .+\\) {2}since `));

    const shown = await runCli(['alerts', 'show', raised.id, '--api', api, '--lang', 'en']);
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n').slice(0, 3)).toEqual([expect.stringMatching(new RegExp(`^alert ${raised.id} {2}\\w+ {2}firing`)), expect.any(String), expect.stringMatching(/^ {2}device: ups-1 /)]);

    const acked = await runCli(['alerts', 'ack', raised.id, '--by', '张工', '--api', api, '--lang', 'en'], { ROOMWATCH_API_TOKEN: TOKEN });
    expect([acked.code, acked.stdout.split('\n')[0]]).toEqual([0, `acknowledged ${raised.id} as 张工`]);
    const after = (await (await fetch(`${api}/api/alerts/${raised.id}`)).json()) as Listed;
    expect(after).toMatchObject({ id: raised.id, status: 'acknowledged', ack: { by: '张工' } });

    const unknown = await fetch(`${api}/api/alerts/0123456789`);
    expect([unknown.status, ((await unknown.json()) as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
    const neither = await runCli(['alerts', 'ack', '0123456789', '--by', '张工', '--api', api], { ROOMWATCH_API_TOKEN: TOKEN });
    expect([neither.code, neither.stderr]).toEqual([1, 'roomwatch alerts ack: 404 no active alert or incident 0123456789\n']);
  });
});
