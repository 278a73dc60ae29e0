import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { parseRequest, type SnmpRequest } from './ber.js';

/** A UDP "agent" that answers every datagram with bytes that are not SNMP. */
export function garbageSnmpAgent(): Promise<{ port: number; close: () => void; received: () => number }> {
  const socket: Socket = createSocket('udp4');
  let received = 0;
  socket.on('message', (_msg, rinfo) => {
    received++;
    // First a random blob, then a BER SEQUENCE whose length runs past the end (truncated).
    socket.send(Buffer.from('garbage\x00\xff\x13\x37 not snmp'), rinfo.port, rinfo.address);
    socket.send(Buffer.from([0x30, 0x82, 0x7f, 0xff, 0x02, 0x01, 0x01]), rinfo.port, rinfo.address);
  });
  return new Promise((resolve) =>
    socket.bind(0, '127.0.0.1', () => resolve({ port: socket.address().port, close: () => socket.close(), received: () => received })),
  );
}

/**
 * A UDP "agent" that answers every request with whatever `answer` crafts for it (see ber.ts):
 * PDU type flips, truncations, v3 header flips, floods. Requests it cannot parse are counted and
 * left unanswered.
 */
export function craftedSnmpAgent(answer: (request: SnmpRequest, raw: Buffer) => Buffer[]): Promise<{ port: number; close: () => void; received: () => number; sent: () => number }> {
  const socket: Socket = createSocket('udp4');
  let received = 0;
  let sent = 0;
  socket.on('message', (raw, rinfo) => {
    received++;
    let request: SnmpRequest;
    try {
      request = parseRequest(raw);
    } catch {
      return;
    }
    for (const datagram of answer(request, raw)) {
      sent++;
      socket.send(datagram, rinfo.port, rinfo.address);
    }
  });
  return new Promise((resolve) =>
    socket.bind(0, '127.0.0.1', () => resolve({ port: socket.address().port, close: () => socket.close(), received: () => received, sent: () => sent })),
  );
}

/**
 * A TCP "slave" whose every reply is what `answer` crafts from the request (MBAP and PDU): wrong
 * transaction ids, exception replies, lengths that lie, partial frames, CRC garbage.
 */
export function craftedModbusSlave(answer: (request: Buffer, n: number) => Buffer): Promise<{ port: number; close: () => Promise<void>; requests: () => number }> {
  let requests = 0;
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', (request) => {
      requests++;
      socket.write(answer(request, requests));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
        requests: () => requests,
      }),
    ),
  );
}

/**
 * A TCP "slave" that answers Modbus requests with garbage: alternately random bytes and a reply
 * whose MBAP header announces more bytes than follow (a truncated frame).
 */
export function garbageModbusSlave(): Promise<{ port: number; close: () => Promise<void>; requests: () => number }> {
  let requests = 0;
  const server: Server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', (request) => {
      requests++;
      if (requests % 2) {
        socket.write(Buffer.from('\xde\xad\xbe\xef garbage', 'latin1'));
      } else {
        const transaction = request.subarray(0, 2);
        socket.write(Buffer.concat([transaction, Buffer.from([0, 0, 0, 50, 1, 4, 40, 0x43])]));
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        close: () => new Promise((r) => server.close(() => r())),
        requests: () => requests,
      }),
    ),
  );
}

/** A TCP "slave" that accepts connections and never answers: the slowest device there is. */
export function silentModbusSlave(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as { port: number }).port,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      }),
    ),
  );
}
