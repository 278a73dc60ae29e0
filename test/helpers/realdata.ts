import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../mocks/influxd.js';
import { ROOT } from './processes.js';

/** ../shared/realdata beside the project: recordings and simulators of real devices. */
export const REALDATA = join(ROOT, '..', 'shared', 'realdata');

export interface ExpectedValue {
  device: string;
  metric: string;
  oid: string;
  expected: number | null;
  unit: string;
  note?: string;
}

/** Equal to within rounding: the recordings' values are exact, scaled readings are floating point. */
export function closeTo(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}

/** Whether a reading of a recording is what expected.json says (null: no value). */
export function readsAsExpected(got: { value: number | string | null } | undefined, want: ExpectedValue): boolean {
  return !!got && (want.expected === null ? got.value === null : typeof got.value === 'number' && closeTo(got.value, want.expected));
}

/** What read wrong for one recording: not read, another value, or another unit; empty when all is right. */
export function realdataMismatches(bySource: ReadonlyMap<string, { value: number | string | null; unit?: string }>, cases: readonly ExpectedValue[]): string[] {
  const wrong: string[] = [];
  for (const want of cases) {
    const got = bySource.get(want.oid);
    if (!got) wrong.push(`${want.metric} (${want.oid}): not read`);
    else if (!readsAsExpected(got, want)) wrong.push(`${want.metric}: got ${String(got.value)}, expected ${want.expected}`);
    else if (got.unit !== want.unit) wrong.push(`${want.metric}: unit ${got.unit}, expected ${want.unit}`);
  }
  return wrong;
}

export function expectedSnmpValues(): ExpectedValue[] {
  return JSON.parse(readFileSync(join(REALDATA, 'snmp', 'expected.json'), 'utf8')) as ExpectedValue[];
}

export interface SdmPoint {
  name: string;
  address: number;
  function_code: number;
  unit: string;
  simulator_value: number;
}

export function sdm630Points(): SdmPoint[] {
  return (JSON.parse(readFileSync(join(REALDATA, 'modbus', 'sdm630.json'), 'utf8')) as { points: SdmPoint[] }).points;
}

/** Starts snmpsimd (realdata/snmp/serve.sh) and the SDM630 simulator on free ports. */
export async function startRealdataPeers(): Promise<{ snmpPort: number; modbusPort: number; stop: () => void }> {
  if (!existsSync(REALDATA)) throw new Error(`${REALDATA} is missing: the interop suite needs ../shared beside the project`);
  const snmpPort = await freePort();
  const modbusPort = await freePort();
  const snmpRun = mkdtempSync(join(tmpdir(), 'snmpsim-'));
  const modbusRun = mkdtempSync(join(tmpdir(), 'sdm630-'));
  // Run as root, snmpsimd drops to nobody, which must still reach its log and cache here.
  chmodSync(snmpRun, 0o755);
  const env = { ...process.env, SNMPSIM_RUN_DIR: snmpRun, MODBUS_SIM_RUN_DIR: modbusRun };
  execFileSync('sh', [join(REALDATA, 'snmp', 'serve.sh'), String(snmpPort)], { env, stdio: 'pipe' });
  execFileSync('sh', [join(REALDATA, 'modbus', 'serve.sh'), String(modbusPort)], { env, stdio: 'pipe' });
  return {
    snmpPort,
    modbusPort,
    stop: () => {
      execFileSync('sh', [join(REALDATA, 'snmp', 'stop.sh')], { env, stdio: 'pipe' });
      execFileSync('sh', [join(REALDATA, 'modbus', 'stop.sh')], { env, stdio: 'pipe' });
    },
  };
}

/**
 * Which shipped templates read each SNMP recording. The Liebert web card answers both its own
 * environmental MIB and UPS-MIB, so it is read with both.
 */
export const TEMPLATES_FOR: Readonly<Record<string, readonly string[]>> = {
  deltaups: ['ups-rfc1628'],
  'eaton-mgeups_93ps': ['ups-rfc1628'],
  huaweiups_ups2000: ['ups-rfc1628'],
  'apc_smt750x-nmc2': ['apc-powernet-ups'],
  liebert_weblbds: ['liebert-gp-crac', 'ups-rfc1628'],
};
