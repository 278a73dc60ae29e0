import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../mocks/influxd.js';
import { daemonTestBed } from '../helpers/daemon-bed.js';
import { craftedModbusSlave } from '../helpers/garbage.js';
import { eventually, ROOT, startDaemon, startModbusSlave } from '../helpers/processes.js';

// Hostile Modbus peers against the real daemon: each crafted slave answers every request with one
// kind of broken frame; modbus-serial parses them inside its socket "data" handler, where a throw
// would end the process.
const { influxd, children, closers, writeConfig } = daemonTestBed();

/** CRC-16/MODBUS, low byte first on the wire. */
function crc(frame: Buffer): Buffer {
  let value = 0xffff;
  for (const byte of frame) {
    value ^= byte;
    for (let i = 0; i < 8; i++) value = value & 1 ? (value >> 1) ^ 0xa001 : value >> 1;
  }
  return Buffer.from([value & 0xff, value >> 8]);
}

/** A correct FC3/FC4 PDU (function, byte count, registers) for a request PDU (function, address, count). */
function goodPdu(request: Buffer): Buffer {
  const count = Math.min(request.readUInt16BE(3), 125);
  return Buffer.concat([Buffer.from([request[0]!, count * 2]), Buffer.alloc(count * 2, 0x11)]);
}

const mbap = (transaction: number, unit: number, pdu: Buffer, length = pdu.length + 1): Buffer => {
  const header = Buffer.alloc(7);
  header.writeUInt16BE(transaction & 0xffff, 0);
  header.writeUInt16BE(length & 0xffff, 4);
  header[6] = unit;
  return Buffer.concat([header, pdu]);
};

/** Modbus TCP: request = MBAP(7) + PDU. */
const TCP: Record<string, (request: Buffer, n: number) => Buffer> = {
  'wrong-transaction': (q) => mbap(q.readUInt16BE(0) + 1, q[6]!, goodPdu(q.subarray(7))),
  'exception-unknown-code': (q) => mbap(q.readUInt16BE(0), q[6]!, Buffer.from([q[7]! | 0x80, 0x7f])),
  'length-zero': (q) => mbap(q.readUInt16BE(0), q[6]!, Buffer.alloc(0), 0),
  'length-one': (q) => mbap(q.readUInt16BE(0), q[6]!, Buffer.alloc(0), 1),
  'length-two': (q) => mbap(q.readUInt16BE(0), q[6]!, Buffer.from([q[7]!]), 2),
  'length-lies-long': (q) => mbap(q.readUInt16BE(0), q[6]!, goodPdu(q.subarray(7)), 0xffff),
  'byte-count-lies': (q) => {
    const pdu = goodPdu(q.subarray(7));
    pdu[1] = 250;
    return mbap(q.readUInt16BE(0), q[6]!, pdu);
  },
  'short-data': (q) => mbap(q.readUInt16BE(0), q[6]!, goodPdu(q.subarray(7)).subarray(0, 5)),
  'wrong-unit': (q) => mbap(q.readUInt16BE(0), q[6]! + 1, goodPdu(q.subarray(7))),
  'wrong-function': (q) => mbap(q.readUInt16BE(0), q[6]!, Buffer.concat([Buffer.from([0x2b]), goodPdu(q.subarray(7)).subarray(1)])),
  'duplicate-replies': (q) => {
    const reply = mbap(q.readUInt16BE(0), q[6]!, goodPdu(q.subarray(7)));
    return Buffer.concat([reply, reply, reply.subarray(0, 9)]);
  },
  'random-bytes': (_q, n) => Buffer.from(Array.from({ length: 7 + (n % 300) }, (_, i) => (n * 131 + i * 29) & 0xff)),
  'huge-frame': (q) => mbap(q.readUInt16BE(0), q[6]!, Buffer.concat([Buffer.from([q[7]!, 0xff]), Buffer.alloc(65_000, 0x22)]), 65_003),
};

/** RTU over TCP (a serial gateway): request = unit, PDU, CRC. */
const RTU: Record<string, (request: Buffer, n: number) => Buffer> = {
  'rtu-bad-crc': (q) => {
    const frame = Buffer.concat([Buffer.from([q[0]!]), goodPdu(q.subarray(1, q.length - 2))]);
    return Buffer.concat([frame, Buffer.from([0xde, 0xad])]);
  },
  'rtu-exception': (q) => {
    const frame = Buffer.from([q[0]!, q[1]! | 0x80, 0x0b]);
    return Buffer.concat([frame, crc(frame)]);
  },
  'rtu-short-frames': (_q, n) => Buffer.from([1, 3, 0].slice(0, 1 + (n % 3))),
  'rtu-wrong-length': (q) => {
    const frame = Buffer.concat([Buffer.from([q[0]!]), goodPdu(q.subarray(1, q.length - 2)).subarray(0, 4)]);
    return Buffer.concat([frame, crc(frame)]);
  },
  'rtu-random-bytes': (_q, n) => Buffer.from(Array.from({ length: 1 + (n % 260) }, (_, i) => (n * 97 + i * 13) & 0xff)),
};

describe('hostile Modbus peers', () => {
  it('a broken frame of any kind marks only its device down; the daemon and the other devices carry on', async () => {
    const modbusPort = await freePort();
    children.push(await startModbusSlave(join(ROOT, 'test', 'fixtures', 'sdm630-small.json'), 'tcp', { port: modbusPort }));
    const slaves: Record<string, Awaited<ReturnType<typeof craftedModbusSlave>>> = {};
    let devices = `  - { id: meter-ok, site: site-a, room: room-1, template: sdm630, modbus: { transport: tcp, host: 127.0.0.1, port: ${modbusPort}, timeout: 500ms } }\n`;
    for (const [kind, answer] of [...Object.entries(TCP), ...Object.entries(RTU)]) {
      const slave = await craftedModbusSlave(answer);
      closers.push(slave.close);
      slaves[kind] = slave;
      const transport = kind.startsWith('rtu-') ? 'rtu-over-tcp' : 'tcp';
      devices += `  - { id: meter-${kind}, site: site-a, room: room-1, template: sdm630, modbus: { transport: ${transport}, host: 127.0.0.1, port: ${slave.port}, timeout: 300ms, retries: 1 } }\n`;
    }
    const dir = mkdtempSync(join(tmpdir(), 'hostile-modbus-'));
    const file = writeConfig(dir, 'hostile_modbus', devices, { logLevel: 'debug' });
    const daemon = startDaemon(file);
    children.push(daemon);
    await daemon.waitFor('roomwatch running');
    const exited = new Promise<never>((_, reject) => daemon.process.once('exit', (code, signal) => reject(new Error(`the daemon exited (${code ?? signal}):\n${daemon.output.slice(-3000)}`))));
    exited.catch(() => undefined);

    await Promise.race([eventually(() => Object.values(slaves).every((s) => s.requests() >= 4), 40_000, 'repeated polls of every hostile slave'), exited]);
    expect(daemon.alive).toBe(true);

    const health = await eventually(async () => {
      const rows = await influxd.query<{ device: string; comms: number; missing: number }>('hostile_modbus', 'SELECT last(comms) AS comms, last(points_missing) AS missing FROM device_health GROUP BY device');
      return rows.length === Object.keys(slaves).length + 1 ? rows : undefined;
    }, 20_000, 'health of every device');
    const byDevice = Object.fromEntries(health.map((r) => [r.device, r]));
    expect(byDevice['meter-ok']).toMatchObject({ comms: 1, missing: 0 });
    // An exception reply is an answer: the device is up, its points have no value.
    for (const kind of ['exception-unknown-code', 'rtu-exception']) {
      expect(byDevice[`meter-${kind}`]!.comms).toBe(1);
      expect(byDevice[`meter-${kind}`]!.missing).toBeGreaterThan(0);
    }
    // Duplicated replies begin with a correct one, so that device may well be up; every other is down.
    const down = Object.keys(slaves).filter((k) => !k.includes('exception') && k !== 'duplicate-replies');
    expect(down.map((kind) => [kind, byDevice[`meter-${kind}`]!.comms])).toEqual(down.map((kind) => [kind, 0]));

    const after = Date.now();
    await eventually(async () => (await influxd.query('hostile_modbus', `SELECT comms FROM device_health WHERE device = 'meter-ok' AND comms = 1 AND time > ${after}ms`)).length >= 2, 10_000, 'two more polls of the good meter');
    expect(await daemon.stop()).toBe(0);
  });
});
