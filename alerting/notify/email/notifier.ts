import { readFileSync } from 'node:fs';
import nodemailer, { type Transporter } from 'nodemailer';
import { resolve } from 'node:path';
import { DeliveryError, type Notifier, type NotifierDefinition, type OutboundMessage } from '../notifier.js';
import { renderEmail } from './render.js';
import { EmailKeys, type EmailSettings } from './schema.js';

/**
 * E-mail through SMTP (nodemailer): STARTTLS required by default, implicit TLS or plain for a
 * loopback relay. The idempotency key becomes the Message-ID, so a message sent twice after a
 * crash is recognisably the same message.
 */
export class EmailNotifier implements Notifier {
  readonly id: string;
  readonly #transport: Transporter;

  constructor(private readonly receiver: EmailSettings) {
    this.id = receiver.id;
    const smtp = receiver.smtp;
    this.#transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.security === 'tls',
      requireTLS: smtp.security === 'starttls',
      ignoreTLS: smtp.security === 'none',
      auth: smtp.username ? { user: smtp.username, pass: smtp.password?.reveal() ?? '' } : undefined,
      tls: smtp.caFile ? { ca: [readFileSync(smtp.caFile)] } : undefined,
      connectionTimeout: receiver.timeoutMs,
      greetingTimeout: receiver.timeoutMs,
      socketTimeout: receiver.timeoutMs,
    });
  }

  async send(message: OutboundMessage, key: string): Promise<void> {
    if (message.type !== 'email') throw new DeliveryError('an e-mail receiver got a non-e-mail message', false);
    try {
      await this.#transport.sendMail({
        from: this.receiver.from,
        to: this.receiver.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: `<${key.replace(/[^A-Za-z0-9.-]/g, '.')}@roomwatch>`,
        headers: { 'X-Roomwatch-Notification': key },
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx replies are permanent (bad recipient, refused auth): resending the same mail cannot
      // succeed. Network errors and 4xx are transient.
      const permanent = code !== undefined && code >= 500;
      throw new DeliveryError(`SMTP ${this.receiver.smtp.host}:${this.receiver.smtp.port}: ${(error as Error).message}`, !permanent);
    }
  }
}

export const email: NotifierDefinition<typeof EmailKeys, EmailSettings> = {
  type: 'email',
  summary: 'email',
  schema: EmailKeys,
  compile: (input, base, ctx) => ({
    ...base,
    type: 'email',
    to: input.to,
    from: input.from,
    smtp: {
      host: input.smtp.host,
      port: input.smtp.port,
      security: input.smtp.security,
      username: input.smtp.username,
      password: input.smtp.password === undefined ? undefined : ctx.secret(input.smtp.password, ['smtp', 'password']),
      caFile: input.smtp.ca_file && resolve(ctx.baseDir, input.smtp.ca_file),
    },
  }),
  render: (events, context) => ({ type: 'email', ...renderEmail(events, context) }),
  create: (settings) => new EmailNotifier(settings),
};
