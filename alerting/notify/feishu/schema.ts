import { Type, type Static } from '@sinclair/typebox';
import { SecretValue } from '../../../common/config/primitives.js';
import type { Secret } from '../../../common/config/secret.js';
import type { ReceiverBase } from '../notifier.js';

/**
 * A Feishu (飞书) / Lark custom group bot. `secret` is the bot's "签名校验" key; without it the bot
 * must not have signature checking switched on.
 */
export const FeishuKeys = Type.Object(
  {
    url: SecretValue,
    secret: Type.Optional(SecretValue),
  },
  { additionalProperties: false },
);
export type FeishuInput = Static<typeof FeishuKeys>;

export interface FeishuSettings extends ReceiverBase {
  type: 'feishu';
  url: Secret;
  secret?: Secret;
}
