import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../mocks/influxd.js';
import { startDaemon } from '../helpers/processes.js';

// Found by the chaos suite: with traps.listen on a port another process held, the daemon ran on
// without a trap listener and counted the bind error as one "rejected notification".
describe('traps.listen', () => {
  it('a trap port already in use stops the start with a clear error instead of running deaf to traps', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', () => resolve()));
    const busy = holder.address().port;
    const dir = mkdtempSync(join(tmpdir(), 'traps-listen-'));
    const file = join(dir, 'roomwatch.yaml');
    writeFileSync(
      file,
      `influxdb: { url: "http://127.0.0.1:1", database: traps_listen }
spool: { dir: spool }
alerting: { state_dir: alerts }
api: { listen: "127.0.0.1:${await freePort()}" }
traps: { listen: "127.0.0.1:${busy}" }
sites: [{ id: site-1, rooms: [{ id: room-1 }] }]
devices:
  - { id: ups-1, site: site-1, room: room-1, template: ups-rfc1628, snmp: { host: 127.0.0.1, port: 9, community: public } }
`,
    );
    const daemon = startDaemon(file);
    try {
      const code = await new Promise<number | null>((resolve) => {
        daemon.process.once('exit', (exitCode) => resolve(exitCode));
        // Still running after 15 s means it came up without its trap listener.
        setTimeout(() => resolve(daemon.alive ? -1 : daemon.process.exitCode), 15_000);
      });
      expect({ code, said: /cannot listen for SNMP traps \(traps\.listen\)/.test(daemon.output) }, daemon.output.slice(-2000)).toEqual({ code: 1, said: true });
      expect(daemon.output).toContain(`127.0.0.1:${busy}`);
    } finally {
      await daemon.stop('SIGKILL');
      holder.close();
    }
  });
});
