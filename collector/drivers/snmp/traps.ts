import snmp from 'net-snmp';
import type { Logger } from 'pino';
import type { DeviceSpec } from '../../../common/contracts/device.js';
import { usmUser } from './client.js';
import { BadDatagramLog } from './bad-datagrams.js';
import { describeDatagram } from './datagram.js';
import { guardDatagramSocket } from './guard.js';
import { findSecrets, SecretScrubber } from '../../../common/config/secret.js';
import { ComponentStartError, type Component } from '../../../common/lifecycle.js';
import type { Socket } from 'node:dgram';

const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';

export interface TrapEvent {
  device: DeviceSpec;
  /** Notification OID in SNMPv2 form (a v1 trap becomes enterprise.0.specific). */
  oid: string;
}

/** The listener's figures for /api/health. */
export interface TrapReceiverStatus {
  /** Notifications that reached the listener, trusted or not. */
  received: number;
  /** Notifications rejected: not from a configured device with its community or user, or not understood. */
  unknownSenders: number;
  /** Rejections per sender address, since start. */
  rejectedBySender: Record<string, number>;
}

export interface TrapReceiverOptions {
  devices: readonly DeviceSpec[];
  /** `traps.listen`. */
  listen: { host: string; port: number };
  onTrap: (event: TrapEvent) => void;
  log: Logger;
}

interface Notification {
  pdu: { type: number; community?: string; user?: string; enterprise?: string; generic?: number; specific?: number; varbinds: Array<{ oid: string; value: unknown }> };
  rinfo: { address: string; port: number };
}

interface NetSnmpReceiver {
  getAuthorizer(): { addCommunity(c: string): void; addUser(u: snmp.User): void };
  close(cb?: () => void): void;
  /** Not in net-snmp's typings: the bound sockets, guarded in start(). */
  listener: { sockets: Record<string, Socket> };
}

/**
 * SNMP trap and inform listener (net-snmp, v1/v2c/v3), as a component. A notification is trusted
 * only when it comes from the address of a configured SNMP device with that device's community or
 * v3 user; anything else is counted and logged at a bounded rate, never acted on. A trap port that
 * cannot be bound fails the start (fatal): the daemon would otherwise run deaf to traps.
 */
export class TrapReceiver implements Component {
  readonly name = 'traps';
  #receiver: NetSnmpReceiver | undefined;
  #unknownSenders = 0;
  #received = 0;
  readonly #rejected: BadDatagramLog;
  readonly #scrubber: SecretScrubber;
  readonly #options: TrapReceiverOptions;

  constructor(options: TrapReceiverOptions) {
    this.#options = options;
    this.#rejected = new BadDatagramLog(options.log, 'SNMP notification rejected');
    // net-snmp's rejections quote the community a sender used, which may be a configured one.
    this.#scrubber = new SecretScrubber(findSecrets(options.devices));
  }

  async start(): Promise<void> {
    const { host, port } = this.#options.listen;
    try {
      await this.#listen(host, port);
    } catch (error) {
      throw new ComponentStartError('cannot listen for SNMP traps (traps.listen)', { err: (error as Error).message, listen: `${host}:${port}` });
    }
  }

  status(): TrapReceiverStatus {
    return { received: this.#received, unknownSenders: this.#unknownSenders, rejectedBySender: this.#rejected.totals() };
  }

  /** Listens; rejects when the address cannot be bound (in use, not local), which is no sender's doing. */
  #listen(host: string, port: number): Promise<void> {
    const api = snmp as unknown as { createReceiver(o: object, cb: (e: Error | null, n?: Notification) => void): NetSnmpReceiver };
    let bindFailed: (error: Error) => void = () => undefined;
    const receiver = api.createReceiver({ port, address: host, includeAuthentication: true, disableAuthorization: false }, (error, notification) => {
      // net-snmp hands its socket's own errors (a failed bind) to the same callback as rejected
      // notifications; counted as one, a port in use left the daemon running deaf to traps.
      if (error && (error as NodeJS.ErrnoException).syscall === 'bind') {
        bindFailed(error);
        return;
      }
      if (error) {
        // Wrong community, unknown user, garbage: a sender we do not trust.
        this.#reject((error as { rinfo?: { address: string; port: number } }).rinfo, error.message);
        return;
      }
      if (!notification) return;
      try {
        this.#handle(notification);
      } catch (failure) {
        this.#reject(notification.rinfo, `notification not understood: ${(failure as Error).message}`);
      }
    });
    // net-snmp's Receiver.onMsg catches only parse errors; answering a report or an inform can
    // still throw out of the socket handler, and a throw there would end the daemon.
    for (const socket of Object.values(receiver.listener.sockets)) {
      guardDatagramSocket(socket, (failure, buffer, rinfo) => this.#reject(rinfo, `${describeDatagram(buffer)} not handled (net-snmp: ${(failure as Error).message})`));
    }
    const authorizer = receiver.getAuthorizer();
    for (const device of this.#options.devices) {
      const target = device.snmp;
      if (!target) continue;
      if (target.version === '3') authorizer.addUser(usmUser(target));
      else authorizer.addCommunity(target.community!.reveal());
    }
    this.#receiver = receiver;
    return new Promise((resolve, reject) => {
      bindFailed = reject;
      const sockets = Object.values(receiver.listener.sockets);
      let waiting = sockets.length;
      for (const socket of sockets) socket.once('listening', () => --waiting === 0 && resolve());
    });
  }

  stop(): Promise<void> {
    this.#rejected.flush();
    return new Promise((resolve) => (this.#receiver ? this.#receiver.close(() => resolve()) : resolve()));
  }

  #reject(from: { address: string; port: number } | undefined, reason: string): void {
    this.#unknownSenders++;
    this.#rejected.record(from ? from.address : 'unknown', this.#scrubber.scrub(reason));
  }

  #handle(notification: Notification): void {
    this.#received++;
    const { pdu, rinfo } = notification;
    const candidates = this.#options.devices.filter(
      (d) => d.snmp && d.snmp.host === rinfo.address && (d.snmp.version === '3' ? d.snmp.user === pdu.user : d.snmp.community?.reveal() === pdu.community),
    );
    if (!candidates.length) {
      this.#reject(rinfo, 'not from a configured device with its community or user');
      return;
    }
    const oid = pdu.type === snmp.PduType.Trap
      ? pdu.generic === 6 ? `${pdu.enterprise}.0.${pdu.specific}` : `1.3.6.1.6.3.1.1.5.${(pdu.generic ?? 0) + 1}`
      : String((pdu.varbinds.find((v) => v.oid === SNMP_TRAP_OID)?.value as string | undefined) ?? '');
    // Several devices can share an address and community (cards behind one gateway, a simulator):
    // the one whose template knows this trap is the sender.
    const device = candidates.find((d) => d.template.traps.some((t) => t.oid === oid)) ?? candidates[0]!;
    this.#options.log.info({ device: device.id, trap: oid }, 'SNMP notification received');
    this.#options.onTrap({ device, oid });
  }
}
