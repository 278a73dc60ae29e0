import { Type, type Static } from '@sinclair/typebox';
import { SecretValue } from '../../../common/config/primitives.js';
import type { Secret } from '../../../common/config/secret.js';
import type { ReceiverBase } from '../notifier.js';

/** A generic webhook: only where to post. The URL is a secret because receivers often embed a token in it. */
export const WebhookKeys = Type.Object({ url: SecretValue }, { additionalProperties: false });
export type WebhookInput = Static<typeof WebhookKeys>;

export interface WebhookSettings extends ReceiverBase {
  type: 'webhook';
  url: Secret;
}
