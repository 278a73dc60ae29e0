import snmp from 'net-snmp';
import type { Logger } from 'pino';
import type { DeviceSpec } from '../collector/model.js';
import { usmUser } from '../collector/drivers/snmp/client.js';

const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';

export interface TrapEvent {
  device: DeviceSpec;
  /** Notification OID in SNMPv2 form (a v1 trap becomes enterprise.0.specific). */
  oid: string;
}

interface Notification {
  pdu: { type: number; community?: string; user?: string; enterprise?: string; generic?: number; specific?: number; varbinds: Array<{ oid: string; value: unknown }> };
  rinfo: { address: string; port: number };
}

/**
 * SNMP trap and inform receiver (net-snmp, v1/v2c/v3). A notification is trusted only when it
 * comes from the address of a configured SNMP device with that device's community or v3 user;
 * anything else is counted and logged, never acted on.
 */
export class TrapReceiver {
  #receiver: { close(cb?: () => void): void } | undefined;
  unknownSenders = 0;
  received = 0;

  constructor(private readonly devices: readonly DeviceSpec[], private readonly onTrap: (event: TrapEvent) => void, private readonly log: Logger) {}

  start(host: string, port: number): void {
    const api = snmp as unknown as { createReceiver(o: object, cb: (e: Error | null, n?: Notification) => void): { getAuthorizer(): { addCommunity(c: string): void; addUser(u: snmp.User): void }; close(cb?: () => void): void } };
    const receiver = api.createReceiver({ port, address: host, includeAuthentication: true, disableAuthorization: false }, (error, notification) => {
      if (error) {
        // Wrong community, unknown user, garbage: a sender we do not trust.
        this.unknownSenders++;
        this.log.warn({ err: error.message, from: (error as { rinfo?: { address: string } }).rinfo?.address }, 'SNMP notification rejected');
        return;
      }
      if (notification) this.#handle(notification);
    });
    const authorizer = receiver.getAuthorizer();
    for (const device of this.devices) {
      const target = device.snmp;
      if (!target) continue;
      if (target.version === '3') authorizer.addUser(usmUser(target));
      else authorizer.addCommunity(target.community!.reveal());
    }
    this.#receiver = receiver;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.#receiver ? this.#receiver.close(() => resolve()) : resolve()));
  }

  #handle(notification: Notification): void {
    this.received++;
    const { pdu, rinfo } = notification;
    const candidates = this.devices.filter(
      (d) => d.snmp && d.snmp.host === rinfo.address && (d.snmp.version === '3' ? d.snmp.user === pdu.user : d.snmp.community?.reveal() === pdu.community),
    );
    if (!candidates.length) {
      this.unknownSenders++;
      this.log.warn({ from: rinfo.address }, 'SNMP notification from an unknown sender ignored');
      return;
    }
    const oid = pdu.type === snmp.PduType.Trap
      ? pdu.generic === 6 ? `${pdu.enterprise}.0.${pdu.specific}` : `1.3.6.1.6.3.1.1.5.${(pdu.generic ?? 0) + 1}`
      : String((pdu.varbinds.find((v) => v.oid === SNMP_TRAP_OID)?.value as string | undefined) ?? '');
    // Several devices can share an address and community (cards behind one gateway, a simulator):
    // the one whose template knows this trap is the sender.
    const device = candidates.find((d) => d.template.traps.some((t) => t.oid === oid)) ?? candidates[0]!;
    this.log.info({ device: device.id, trap: oid }, 'SNMP notification received');
    this.onTrap({ device, oid });
  }
}
