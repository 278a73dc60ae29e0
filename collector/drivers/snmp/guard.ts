import type { RemoteInfo, Socket } from 'node:dgram';
import type snmp from 'net-snmp';

type DatagramListener = (buffer: Buffer, rinfo: RemoteInfo) => void;

/**
 * Runs a UDP socket's existing "message" listeners inside a try/catch, so nothing a peer sends can
 * throw out of the event loop. net-snmp attaches its listeners when it creates the socket; this
 * replaces them with one wrapper that calls them in the same order.
 */
export function guardDatagramSocket(socket: Socket, onThrow: (error: unknown, buffer: Buffer, rinfo: RemoteInfo) => void): void {
  const listeners = socket.listeners('message') as DatagramListener[];
  socket.removeAllListeners('message');
  socket.on('message', (buffer: Buffer, rinfo: RemoteInfo) => {
    for (const listener of listeners) {
      try {
        listener.call(socket, buffer, rinfo);
      } catch (error) {
        onThrow(error, buffer, rinfo);
      }
    }
  });
}

/** The parts of net-snmp's Session this guard reaches into (not in its public typings). */
interface SessionInternals {
  dgram: Socket;
  reqs: Record<string, { responseCb: (error: Error) => void }>;
}

/**
 * Guards an SNMP client session's socket. net-snmp 3.29's `Session.onMsg` takes the pending
 * request out of its table (clearing its timer) *before* processing the reply; when processing
 * then throws — a v1/v2c reply with PDU type Report (0xa8) dereferences the absent v3 security
 * parameters, a v3 header with the auth flag sent to a v1/v2c session dereferences the absent
 * user — the exception leaves the socket handler (and ends the process) and the request would
 * never be answered nor time out. So the wrapper notes the requests pending before each datagram
 * and fails the ones that vanished during a throw: the poll fails at once with `describe`'s text.
 *
 * Upstream net-snmp should wrap the whole of `Session.onMsg` (not just `Message.createFromBuffer`)
 * in a try/catch that emits "error" and calls the request's `responseCb`, and should check
 * `message.version == Version3` before reading `msgSecurityParameters` for a Report PDU and in
 * `processIncomingSecurity`.
 */
export function guardSession(session: snmp.Session, onThrow: (error: unknown, buffer: Buffer, failed: number) => Error | undefined): void {
  const internals = session as unknown as SessionInternals;
  const socket = internals.dgram;
  const listeners = socket.listeners('message') as DatagramListener[];
  socket.removeAllListeners('message');
  socket.on('message', (buffer: Buffer, rinfo: RemoteInfo) => {
    // A session has a handful of requests in flight (max_concurrency), so the copy is cheap.
    const pending = Object.entries(internals.reqs);
    for (const listener of listeners) {
      try {
        listener.call(socket, buffer, rinfo);
      } catch (error) {
        const stranded = pending.filter(([id]) => !(id in internals.reqs)).map(([, req]) => req);
        const failure = onThrow(error, buffer, stranded.length);
        for (const req of stranded) {
          try {
            req.responseCb(failure ?? new Error(String(error)));
          } catch {
            // The request's own callback failed; nothing more to tell it.
          }
        }
      }
    }
  });
}

const PDU_NAMES: Record<number, string> = {
  0xa0: 'GetRequest', 0xa1: 'GetNextRequest', 0xa2: 'GetResponse', 0xa3: 'SetRequest', 0xa4: 'Trap (v1)',
  0xa5: 'GetBulkRequest', 0xa6: 'InformRequest', 0xa7: 'SNMPv2-Trap', 0xa8: 'Report',
};
const VERSIONS: Record<number, string> = { 0: 'SNMPv1', 1: 'SNMPv2c', 3: 'SNMPv3' };

/**
 * Names what a datagram claims to be ("SNMPv2c Report PDU (0xa8)") for error texts, reading only
 * the outer BER header; it never throws and says "not SNMP" for anything it cannot follow.
 */
export function describeDatagram(buffer: Buffer): string {
  const item = (at: number): { tag: number; start: number; end: number } | undefined => {
    if (at + 2 > buffer.length) return undefined;
    let size = buffer[at + 1]!;
    let start = at + 2;
    if (size & 0x80) {
      const n = size & 0x7f;
      if (n > 3 || start + n > buffer.length) return undefined;
      size = 0;
      for (let i = 0; i < n; i++) size = size * 256 + buffer[start + i]!;
      start += n;
    }
    return { tag: buffer[at]!, start, end: start + size };
  };
  const top = item(0);
  const version = top?.tag === 0x30 ? item(top.start) : undefined;
  if (!version || version.tag !== 0x02 || version.end - version.start !== 1) return `${buffer.length} bytes, not SNMP`;
  const number = buffer[version.start]!;
  const name = VERSIONS[number] ?? `SNMP version ${number}`;
  if (number === 3) return `${name} message`;
  const community = item(version.end);
  const pdu = community?.tag === 0x04 ? item(community.end) : undefined;
  if (!pdu) return `${name} message without a PDU`;
  return `${name} ${PDU_NAMES[pdu.tag] ?? 'unknown'} PDU (0x${pdu.tag.toString(16)})`;
}
