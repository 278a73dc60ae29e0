import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** An in-process SMTP server that keeps what it receives; it can be stopped and started again. */
export class MailCatcher {
  readonly mails: ParsedMail[] = [];
  #server: SMTPServer | undefined;

  constructor(public port: number, private readonly tls?: { key: Buffer; cert: Buffer }) {}

  start(): Promise<void> {
    this.#server = new SMTPServer({
      authOptional: true,
      secure: false,
      ...(this.tls ? { key: this.tls.key, cert: this.tls.cert } : { disabledCommands: ['STARTTLS'] }),
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream).then(
          (mail) => {
            this.mails.push(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    return new Promise((resolve, reject) => {
      this.#server!.once('error', reject);
      this.#server!.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

export interface HookRequest {
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A loopback HTTP receiver standing in for Alertmanager receivers and the WeCom/DingTalk robots. */
export class HookCatcher {
  readonly requests: HookRequest[] = [];
  readonly #server: Server;
  port = 0;

  constructor(private readonly dingtalkSecret: string) {
    this.#server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://localhost');
        this.requests.push({ path: url.pathname, query: url.searchParams, headers: request.headers, body: JSON.parse(text) as unknown });
        response.writeHead(200, { 'content-type': 'application/json' });
        if (url.pathname === '/dingtalk') {
          const timestamp = url.searchParams.get('timestamp') ?? '';
          const expected = createHmac('sha256', this.dingtalkSecret).update(`${timestamp}\n${this.dingtalkSecret}`).digest('base64');
          // The robot's own check: a wrong signature is errcode 310000.
          response.end(JSON.stringify(url.searchParams.get('sign') === expected ? { errcode: 0, errmsg: 'ok' } : { errcode: 310000, errmsg: 'sign not match' }));
        } else {
          response.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
        }
      });
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) => this.#server.listen(0, '127.0.0.1', () => {
      this.port = (this.#server.address() as { port: number }).port;
      resolve();
    }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
