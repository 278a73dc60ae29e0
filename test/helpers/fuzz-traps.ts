import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { promisify } from 'node:util';
import type { FuzzRandom } from './fuzz-random.js';
import { mutateSnmpReply } from './fuzz-snmp.js';

const run = promisify(execFile);

/**
 * The bytes Net-SNMP's snmptrap (Debian "snmp") sends, caught on a socket of ours:
 * real notifications to mutate, from an implementation independent of net-snmp.
 */
export async function captureTrap(options: string[], pdu: string[]): Promise<Buffer> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const caught = new Promise<Buffer>((resolve) => socket.once('message', (msg) => resolve(msg)));
  try {
    await run('snmptrap', [...options, `127.0.0.1:${socket.address().port}`, ...pdu], { env: { ...process.env, MIBS: '' } });
    return await caught;
  } finally {
    socket.close();
  }
}

/** Sends garbage and untrusted notifications to a trap listener, counting what it sent. */
export class TrapFuzzer {
  garbage = 0;
  unknownSenders = 0;
  readonly #fromLoopback: Socket = createSocket('udp4');
  readonly #fromStranger: Socket = createSocket('udp4');

  constructor(
    private readonly port: number,
    private readonly random: FuzzRandom,
    /** Notifications no configured device would send (unknown community or user). */
    private readonly seeds: readonly Buffer[],
    /** A notification a configured device would send, but sent from an address that is no device's. */
    private readonly trusted: Buffer,
  ) {}

  async start(): Promise<void> {
    this.#fromLoopback.on('error', () => undefined);
    this.#fromStranger.on('error', () => undefined);
    await new Promise<void>((resolve) => this.#fromLoopback.bind(0, '127.0.0.1', () => resolve()));
    // 127.0.0.2 is loopback too on Linux, but no configured device lives there.
    await new Promise<void>((resolve) => this.#fromStranger.bind(0, '127.0.0.2', () => resolve()));
  }

  /** One round: `n` mutated notifications from loopback and one intact one from the stranger. */
  round(n: number): void {
    for (let i = 0; i < n; i++) {
      const mutation = mutateSnmpReply(this.random.pick(this.seeds), this.random, { genuineRepeats: false, delayMs: [0, 0] });
      for (const datagram of mutation.datagrams) {
        this.#fromLoopback.send(datagram.bytes, this.port, '127.0.0.1');
        this.garbage++;
      }
    }
    this.#fromStranger.send(this.trusted, this.port, '127.0.0.1');
    this.unknownSenders++;
  }

  close(): void {
    this.#fromLoopback.close();
    this.#fromStranger.close();
  }
}
