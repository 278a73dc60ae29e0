import { Type, type Static } from '@sinclair/typebox';
import { SecretValue } from '../../../common/config/primitives.js';
import type { Secret } from '../../../common/config/secret.js';
import type { ReceiverBase } from '../notifier.js';

/** A WeCom (企业微信) group robot: its webhook URL holds the robot's key, so it is a secret. */
export const WecomKeys = Type.Object({ url: SecretValue }, { additionalProperties: false });
export type WecomInput = Static<typeof WecomKeys>;

export interface WecomSettings extends ReceiverBase {
  type: 'wecom';
  url: Secret;
}
