import { createServer, type Server } from 'node:http';

export interface Answer {
  status: number;
  body: string;
}

/**
 * A loopback HTTP endpoint that answers each path as told (default 200 `{"errcode":0}`), the way a
 * chat-bot or webhook service answers: notifier tests check what each answer makes them do.
 */
export class AnsweringServer {
  readonly answers = new Map<string, Answer>();
  #server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.#server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const answer = this.answers.get(request.url ?? '') ?? { status: 200, body: '{"errcode":0}' };
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.#server.address() as { port: number }).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
