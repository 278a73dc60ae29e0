import { Type, type Static } from '@sinclair/typebox';
import { SecretValue } from '../../../collector/config/primitives.js';
import type { Secret } from '../../../collector/config/secret.js';
import type { ReceiverBase } from '../notifier.js';

/** A generic webhook: only where to post. The URL is a secret because receivers often embed a token in it. */
export const WebhookKeys = Type.Object({ url: SecretValue }, { additionalProperties: false });
export type WebhookInput = Static<typeof WebhookKeys>;

export interface WebhookSettings extends ReceiverBase {
  type: 'webhook';
  url: Secret;
}
