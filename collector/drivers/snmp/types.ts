import type { Secret } from '../../../common/config/secret.js';
import type { PointMeaning } from '../../../common/contracts/device.js';

export interface SnmpScalarPoint extends PointMeaning {
  kind: 'snmp-scalar';
  oid: string;
  valueType: 'number' | 'string' | 'numeric_string';
}

export interface SnmpColumnPoint extends PointMeaning {
  kind: 'snmp-column';
  column: string;
  indexTag: string;
  indexNames?: { column: string; map: Readonly<Record<string, string>> };
  valueType: 'number' | 'string' | 'numeric_string';
}

export interface SnmpTarget {
  host: string;
  port: number;
  version: '1' | '2c' | '3';
  community?: Secret;
  user?: string;
  securityLevel?: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  authProtocol?: string;
  authKey?: Secret;
  privProtocol?: string;
  privKey?: Secret;
  context?: string;
  timeoutMs: number;
  retries: number;
  maxConcurrency: number;
  maxOidsPerRequest: number;
  maxRepetitions: number;
}

// The SNMP driver's entries in the shared device contract (module augmentation: the contract
// folder names no driver).
declare module '../../../common/contracts/device.js' {
  interface DriverTargets {
    snmp: SnmpTarget;
  }
  interface DriverPoints {
    snmp: SnmpScalarPoint | SnmpColumnPoint;
  }
}
