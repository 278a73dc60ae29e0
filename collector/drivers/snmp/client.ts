import snmp from 'net-snmp';
import type { Logger } from 'pino';
import type { SnmpTarget } from './types.js';
import { compareOids, decodeVarbind, isUnder, type RawVarbind, type SnmpValue } from './decode.js';
import { Semaphore } from '../semaphore.js';
import { BadDatagramLog } from './bad-datagrams.js';
import { describeDatagram } from './datagram.js';
import { guardSession } from './guard.js';

/** The agent did not answer, answered garbage, or refused the credentials: the device is down. */
export class SnmpTransportError extends Error {}

export interface ColumnRow {
  index: string;
  value: SnmpValue;
}

/** Limits requests in flight per agent (host:port), shared by every device that talks to it. */
export class AgentLimits {
  readonly #byAgent = new Map<string, Semaphore>();
  for(target: SnmpTarget): Semaphore {
    const key = `${target.host}:${target.port}`;
    let semaphore = this.#byAgent.get(key);
    if (!semaphore) {
      semaphore = new Semaphore(target.maxConcurrency);
      this.#byAgent.set(key, semaphore);
    }
    return semaphore;
  }
}

/**
 * One SNMP session to one agent, speaking v1, v2c or v3. GETs carry several OIDs per PDU; table
 * columns are walked with GETBULK (GETNEXT on v1). Replies whose OIDs do not match the request are
 * rejected by net-snmp (reportOidMismatchErrors) rather than misread.
 */
export class SnmpClient {
  readonly #session: snmp.Session;

  constructor(
    private readonly target: SnmpTarget,
    private readonly limit: Semaphore,
    log: Logger,
    badDatagrams: BadDatagramLog = new BadDatagramLog(log, 'bad SNMP datagram ignored'),
  ) {
    const common = {
      port: target.port,
      retries: target.retries,
      timeout: target.timeoutMs,
      transport: 'udp4' as const,
      reportOidMismatchErrors: true,
      idBitsSize: 32,
    };
    if (target.version === '3') {
      this.#session = snmp.createV3Session(target.host, usmUser(target), { ...common, version: 3, context: target.context });
    } else {
      this.#session = snmp.createSession(target.host, target.community!.reveal(), {
        ...common,
        version: target.version === '1' ? snmp.Version1 : snmp.Version2c,
      });
    }
    const agent = `${target.host}:${target.port}`;
    // net-snmp reports datagrams it cannot parse as "error" events; without a listener one would
    // kill the daemon (../shared/DECISIONS.md). The request it belonged to times out and is retried.
    this.#session.on('error', (error: Error) => badDatagrams.record(agent, error.message));
    // Datagrams it parses but then fails on throw instead (see guard.ts): the request they
    // answered fails at once with what the agent sent.
    guardSession(
      this.#session,
      (error, buffer) => {
        const reason = `unusable reply, ${describeDatagram(buffer)} (net-snmp: ${error instanceof Error ? error.message : String(error)})`;
        badDatagrams.record(agent, reason);
        return new Error(reason);
      },
      () => {
        const reason = 'the agent answers every request with an SNMPv3 Report and never with a response';
        badDatagrams.record(agent, reason);
        return new Error(reason);
      },
    );
  }

  /** GETs scalars, `maxOidsPerRequest` per PDU. Missing OIDs come back as `ok: false`. */
  async get(oids: readonly string[]): Promise<Map<string, SnmpValue>> {
    const results = new Map<string, SnmpValue>();
    const size = this.target.maxOidsPerRequest;
    const chunks: string[][] = [];
    for (let i = 0; i < oids.length; i += size) chunks.push(oids.slice(i, i + size));
    await Promise.all(chunks.map((chunk) => this.#getChunk(chunk, results)));
    return results;
  }

  async #getChunk(oids: string[], results: Map<string, SnmpValue>): Promise<void> {
    try {
      const varbinds = await this.limit.run(() => this.#rawGet(oids));
      varbinds.forEach((varbind, i) => results.set(oids[i]!, decodeVarbind(varbind)));
    } catch (error) {
      const status = (error as { status?: number }).status;
      // tooBig(1): the reply would not fit; noSuchName(2): SNMPv1's way of saying one OID is missing,
      // which fails the whole PDU. Either way, halve the request until the culprit stands alone.
      if (error instanceof snmp.RequestFailedError && (status === 1 || status === 2)) {
        if (oids.length === 1) {
          results.set(oids[0]!, { ok: false, reason: status === 2 ? 'the agent answered noSuchName' : 'the reply is too big' });
          return;
        }
        const half = Math.ceil(oids.length / 2);
        await this.#getChunk(oids.slice(0, half), results);
        await this.#getChunk(oids.slice(half), results);
        return;
      }
      throw new SnmpTransportError(describe(error, this.target));
    }
  }

  #rawGet(oids: string[]): Promise<RawVarbind[]> {
    return new Promise((resolve, reject) => {
      this.#session.get(oids, (error, varbinds) => (error ? reject(error) : resolve((varbinds ?? []))));
    });
  }

  /** Walks one table column; rows are keyed by the instance suffix after the column OID. */
  async walkColumn(column: string): Promise<ColumnRow[]> {
    const rows: ColumnRow[] = [];
    let lastOid: string | undefined;
    try {
      await this.limit.run(
        () =>
          new Promise<void>((resolve, reject) => {
            this.#session.subtree(
              column,
              this.target.maxRepetitions,
              (varbinds) => {
                for (const varbind of varbinds as RawVarbind[]) {
                  // Stop at the column's end, at an exception, or when an agent answers an OID that
                  // does not advance: some agents repeat the request OID with noSuchInstance past
                  // the end of their MIB, and net-snmp would walk that forever.
                  if (!isUnder(column, varbind.oid) || (varbind.type ?? 0) >= 128) return true;
                  if (lastOid !== undefined && compareOids(varbind.oid, lastOid) <= 0) return true;
                  lastOid = varbind.oid;
                  rows.push({ index: varbind.oid.slice(column.length + 1), value: decodeVarbind(varbind) });
                }
                return undefined;
              },
              (error) => (error ? reject(error) : resolve()),
            );
          }),
      );
    } catch (error) {
      throw new SnmpTransportError(describe(error, this.target));
    }
    return rows;
  }

  close(): void {
    try {
      this.#session.close();
    } catch {
      // already closed
    }
  }
}

/** The SNMPv3 user (USM) of a target, as net-snmp wants it for sessions and agents alike. */
export function usmUser(target: SnmpTarget): snmp.User {
  return {
    name: target.user!,
    level: snmp.SecurityLevel[target.securityLevel ?? 'authPriv'],
    authProtocol: target.authProtocol ? snmp.AuthProtocols[target.authProtocol as keyof typeof snmp.AuthProtocols] : undefined,
    authKey: target.authKey?.reveal(),
    privProtocol: target.privProtocol ? snmp.PrivProtocols[target.privProtocol as keyof typeof snmp.PrivProtocols] : undefined,
    privKey: target.privKey?.reveal(),
  };
}

function describe(error: unknown, target: SnmpTarget): string {
  let message = error instanceof Error ? error.message : String(error);
  // net-snmp quotes both communities ("Community 'X' in request does not match community 'Y' in
  // response"): ours is a credential and the agent's may be another device's, so neither is kept.
  if (error instanceof snmp.ResponseInvalidError && error.code === snmp.ResponseInvalidCode.ECommunityNoMatch) {
    message = "the reply's community does not match the configured one (wrong community, or a reply from another agent)";
  }
  return `SNMP ${target.host}:${target.port}: ${message}`;
}
