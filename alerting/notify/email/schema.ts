import { Type, type Static } from '@sinclair/typebox';
import { SecretValue } from '../../../common/config/primitives.js';
import type { Secret } from '../../../common/config/secret.js';
import type { ReceiverBase } from '../notifier.js';

const strict = { additionalProperties: false } as const;

/** An e-mail receiver's keys; `to`, `from` and `smtp` are all needed to send anything. */
export const EmailKeys = Type.Object(
  {
    to: Type.Array(Type.String({ pattern: '^[^@\\s]+@[^@\\s]+$', description: 'an e-mail address' }), { minItems: 1 }),
    from: Type.String(),
    smtp: Type.Object(
      {
        host: Type.String(),
        port: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
        security: Type.Union([Type.Literal('starttls'), Type.Literal('tls'), Type.Literal('none')], { default: 'starttls', description: 'starttls (required), tls (implicit, port 465) or none (loopback relays only)' }),
        username: Type.Optional(Type.String()),
        password: Type.Optional(SecretValue),
        ca_file: Type.Optional(Type.String({ description: 'PEM file of a private CA for the server certificate' })),
      },
      strict,
    ),
  },
  strict,
);
export type EmailInput = Static<typeof EmailKeys>;

export interface EmailSettings extends ReceiverBase {
  type: 'email';
  to: string[];
  from: string;
  smtp: { host: string; port: number; security: 'starttls' | 'tls' | 'none'; username?: string; password?: Secret; caFile?: string };
}
