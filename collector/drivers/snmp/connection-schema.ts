import { Type, type Static } from '@sinclair/typebox';
import { DurationAtLeast, SecretValue } from '../../../common/config/primitives.js';
import { MIN_DEVICE_TIMEOUT } from '../driver-config.js';

/** A device's `snmp:` section: the agent, the credentials and how hard to press it. */
export const SnmpConnection = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'agent address' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 161 }),
    version: Type.Union([Type.Literal('1'), Type.Literal('2c'), Type.Literal('3')], {
      default: '2c',
      description: 'SNMP version: "1", "2c" or "3" (quote it in YAML)',
    }),
    community: Type.Optional(SecretValue),
    user: Type.Optional(Type.String({ minLength: 1, description: 'SNMPv3 user name' })),
    security_level: Type.Optional(
      Type.Union([Type.Literal('noAuthNoPriv'), Type.Literal('authNoPriv'), Type.Literal('authPriv')], {
        description: 'SNMPv3 security level: noAuthNoPriv, authNoPriv or authPriv',
        // Not a schema default: only SNMPv3 has a security level, so compileSnmp sets it for version "3".
        $comment: 'defaults to authPriv for version "3" (set in compile: v1/v2c have none)',
      }),
    ),
    auth_protocol: Type.Optional(
      Type.Union(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'].map((p) => Type.Literal(p)), {
        description: 'SNMPv3 authentication protocol: md5, sha, sha224, sha256, sha384 or sha512',
      }),
    ),
    auth_key: Type.Optional(SecretValue),
    priv_protocol: Type.Optional(
      Type.Union(['des', 'aes', 'aes256b', 'aes256r'].map((p) => Type.Literal(p)), {
        description: 'SNMPv3 privacy protocol: des, aes (AES-128), aes256b (Blumenthal) or aes256r (Reeder)',
      }),
    ),
    priv_key: Type.Optional(SecretValue),
    context: Type.Optional(Type.String()),
    timeout: DurationAtLeast(MIN_DEVICE_TIMEOUT, { default: '2s', meaning: 'how long to wait for each answer' }),
    retries: Type.Integer({ minimum: 0, maximum: 10, default: 1 }),
    max_concurrency: Type.Integer({ minimum: 1, maximum: 64, default: 4, description: 'requests in flight to this agent at once' }),
    max_oids_per_request: Type.Integer({ minimum: 1, maximum: 128, default: 16 }),
    max_repetitions: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'GETBULK max-repetitions for table walks' }),
  },
  { additionalProperties: false },
);
export type SnmpConnectionInput = Static<typeof SnmpConnection>;
