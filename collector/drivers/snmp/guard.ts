import type { RemoteInfo, Socket } from 'node:dgram';
import type snmp from 'net-snmp';

/** net-snmp's Version3 constant (the value of `Session.version` for a v3 session). */
const snmpVersion3 = 3;
import { guardListeners } from '../listener-guard.js';
import { peekDatagram, REPORT_PDU } from './datagram.js';

type DatagramListener = (buffer: Buffer, rinfo: RemoteInfo) => void;

/** Guards a UDP socket's "message" listeners (see listener-guard.ts). */
export function guardDatagramSocket(socket: Socket, onThrow: (error: unknown, buffer: Buffer, rinfo: RemoteInfo) => void): void {
  guardListeners(socket, 'message', (error, args) => onThrow(error, args[0] as Buffer, args[1] as RemoteInfo));
}

/** The parts of net-snmp's Session this guard reaches into (not in its public typings). */
interface SessionInternals {
  dgram: Socket;
  version: number;
  reqs: Record<string, { responseCb: (error: Error) => void }>;
  unregisterRequest(id: number): { responseCb: (error: Error) => void } | null;
}

/**
 * Reports a v3 agent may send in a row before the request they answer is failed. Discovery takes
 * one, a time-window resynchronisation another; net-snmp re-sends on every Report whose engine
 * boots and time are both 0, so an agent answering only such Reports would keep a request
 * bouncing forever (28,000 round trips in 3 s on loopback) and its poll would never end.
 */
const MAX_REPORTS_IN_A_ROW = 4;

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
export function guardSession(session: snmp.Session, onThrow: (error: unknown, buffer: Buffer) => Error, onReportLoop: (buffer: Buffer) => Error): void {
  const internals = session as unknown as SessionInternals;
  const socket = internals.dgram;
  const listeners = socket.listeners('message') as DatagramListener[];
  socket.removeAllListeners('message');
  let reportsInARow = 0;
  // Only a v3 session re-sends on Reports, so only its replies need reading before net-snmp does.
  const countReports = internals.version === snmpVersion3;
  socket.on('message', (buffer: Buffer, rinfo: RemoteInfo) => {
    const peek = countReports ? peekDatagram(buffer) : undefined;
    if (peek?.version === 3 && peek.msgId !== undefined && peek.msgId in internals.reqs) {
      if (peek.pduTag !== REPORT_PDU) {
        reportsInARow = 0;
      } else if (++reportsInARow > MAX_REPORTS_IN_A_ROW) {
        reportsInARow = 0;
        internals.unregisterRequest(peek.msgId)?.responseCb(onReportLoop(buffer));
        return;
      }
    }
    // A session has a handful of requests in flight (max_concurrency), so the copy is cheap.
    const pending = Object.entries(internals.reqs);
    for (const listener of listeners) {
      try {
        listener.call(socket, buffer, rinfo);
      } catch (error) {
        const stranded = pending.filter(([id]) => !(id in internals.reqs)).map(([, req]) => req);
        const failure = onThrow(error, buffer);
        for (const req of stranded) {
          try {
            req.responseCb(failure);
          } catch {
            // The request's own callback failed; nothing more to tell it.
          }
        }
      }
    }
  });
}
