import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedSnmpValues, readsAsExpected, realdataMismatches, sdm630Points, TEMPLATES_FOR, startRealdataPeers } from '../helpers/realdata.js';
import { runCli } from '../helpers/processes.js';

interface ProbeRow {
  measurement: string;
  field: string;
  tags: Record<string, string>;
  value: number | string | null;
  unit: string;
  source: string;
}


let peers: Awaited<ReturnType<typeof startRealdataPeers>>;
beforeAll(async () => {
  peers = await startRealdataPeers();
});
afterAll(() => peers?.stop());

async function probe(args: string[]): Promise<ProbeRow[]> {
  const result = await runCli(['probe', ...args, '--json']);
  if (result.code !== 0) throw new Error(`probe ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as ProbeRow[];
}

describe('probe reads the real-device SNMP recordings (snmpsim)', () => {
  const expected = expectedSnmpValues();
  for (const device of Object.keys(TEMPLATES_FOR)) {
    it(`${device}: every expected value, in the stated unit`, async () => {
      const rows: ProbeRow[] = [];
      for (const template of TEMPLATES_FOR[device]!) {
        rows.push(...(await probe(['--template', template, '--host', '127.0.0.1', '--port', String(peers.snmpPort), '--community', device])));
      }
      const bySource = new Map(rows.map((r) => [r.source, r]));
      const cases = expected.filter((e) => e.device === device);
      expect(cases.length).toBeGreaterThan(0);
      const wrong = realdataMismatches(bySource, cases);
      expect(wrong).toEqual([]);
    });
  }
});

describe('a table the recording lacks', () => {
  it('liebert_weblbds has no LIEBERT-GP-CONDITIONS-MIB table: active_condition reads as no rows, and the rest reads', async () => {
    const rows = await probe(['--template', 'liebert-gp-crac', '--host', '127.0.0.1', '--port', String(peers.snmpPort), '--community', 'liebert_weblbds']);
    expect(rows.filter((r) => r.field === 'active_condition')).toEqual([]);
    expect(rows.filter((r) => r.field === 'general_alarm' && r.value !== null)).toHaveLength(1);
  });
});

describe('probe speaks SNMPv1 to the same recordings', () => {
  for (const device of ['deltaups', 'eaton-mgeups_93ps']) {
    it(`${device}: every expected value over v1 (GETNEXT walks; noSuchName splits the request)`, async () => {
      const rows = await probe(['--template', 'ups-rfc1628', '--host', '127.0.0.1', '--port', String(peers.snmpPort), '--community', device, '--snmp-version', '1']);
      const bySource = new Map(rows.map((r) => [r.source, r]));
      const wrong = expectedSnmpValues()
        .filter((e) => e.device === device)
        .filter((want) => !readsAsExpected(bySource.get(want.oid), want))
        .map((want) => want.metric);
      expect(wrong).toEqual([]);
    });
  }
});

describe('probe reads the SDM630 simulator (pymodbus) over Modbus TCP', () => {
  it('every point of the register map, in the stated unit', async () => {
    const rows = await probe(['--template', 'sdm630', '--host', '127.0.0.1', '--port', String(peers.modbusPort), '--unit-id', '1']);
    const bySource = new Map(rows.map((r) => [r.source, r]));
    const wrong: string[] = [];
    for (const point of sdm630Points()) {
      const got = bySource.get(`${point.function_code}:${point.address}`);
      // A power factor has no unit; the template calls it a ratio.
      const unit = point.unit === '' ? 'ratio' : point.unit;
      if (!got) wrong.push(`${point.name}: not read`);
      else if (got.value !== point.simulator_value) wrong.push(`${point.name}: got ${String(got.value)}, expected ${point.simulator_value}`);
      else if (got.unit !== unit) wrong.push(`${point.name}: unit ${got.unit}, expected ${unit}`);
    }
    expect(wrong).toEqual([]);
  });
});
