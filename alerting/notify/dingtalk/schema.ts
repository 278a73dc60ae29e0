import { Type, type Static } from '@sinclair/typebox';
import { SecretValue } from '../../../common/config/primitives.js';
import type { Secret } from '../../../common/config/secret.js';
import type { ReceiverBase } from '../notifier.js';

/** A DingTalk (钉钉) group robot; `secret` is the robot's "加签" key, when signing is switched on. */
export const DingtalkKeys = Type.Object({ url: SecretValue, secret: Type.Optional(SecretValue) }, { additionalProperties: false });
export type DingtalkInput = Static<typeof DingtalkKeys>;

export interface DingtalkSettings extends ReceiverBase {
  type: 'dingtalk';
  url: Secret;
  secret?: Secret;
}
