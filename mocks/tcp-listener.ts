import { createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP server that remembers its connections, so that closing it also drops clients
 * still connected (a daemon keeps its Modbus connections open forever).
 */
export class TcpListener {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(onConnection: (socket: Socket) => void) {
    this.#server = createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => this.#sockets.delete(socket));
      onConnection(socket);
    });
  }

  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve((this.#server.address() as { port: number }).port));
    });
  }

  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
