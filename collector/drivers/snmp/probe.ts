import { Secret } from '../../../common/config/secret.js';
import type { ProbeContext, ProbeSupport, ProbeValues } from '../driver-runtime.js';
import { integerOption, stringOption } from '../probe-args.js';
import type { SnmpTarget } from './types.js';

/** `roomwatch probe` for an SNMP template: v1/v2c with a community, v3 with a USM user. */
export const snmpProbe: ProbeSupport<SnmpTarget> = {
  heading: 'SNMP',
  defaultPort: 161,
  options: {
    'snmp-version': { type: 'string' },
    community: { type: 'string' },
    user: { type: 'string' },
    'security-level': { type: 'string' },
    'auth-protocol': { type: 'string' },
    'auth-key': { type: 'string' },
    'priv-protocol': { type: 'string' },
    'priv-key': { type: 'string' },
  },
  usage: [
    '--snmp-version 1|2c|3  --community C (or env ROOMWATCH_SNMP_COMMUNITY)',
    '--user U --security-level noAuthNoPriv|authNoPriv|authPriv',
    '--auth-protocol sha|sha256|... --auth-key K  --priv-protocol aes|des|... --priv-key K',
    '(keys may also come from ROOMWATCH_SNMP_AUTH_KEY / ROOMWATCH_SNMP_PRIV_KEY)',
  ],
  target: snmpProbeTarget,
};

function snmpProbeTarget(values: ProbeValues, env: NodeJS.ProcessEnv, { timeoutMs, defaults }: ProbeContext): SnmpTarget | string {
  const host = stringOption(values.host);
  if (!host) return '--host is required';
  const port = integerOption('port', stringOption(values.port) ?? String(snmpProbe.defaultPort), 1, 65535);
  if (typeof port === 'string') return port;
  const version = stringOption(values['snmp-version']) ?? String(defaults.version);
  if (version !== '1' && version !== '2c' && version !== '3') return `--snmp-version must be 1, 2c or 3, got "${version}"`;
  const community = stringOption(values.community) ?? env.ROOMWATCH_SNMP_COMMUNITY;
  const user = stringOption(values.user);
  if (version !== '3' && !community) return '--community (or ROOMWATCH_SNMP_COMMUNITY) is required for SNMP v1/v2c';
  if (version === '3' && !user) return '--user is required for SNMPv3';
  const authKey = stringOption(values['auth-key']) ?? env.ROOMWATCH_SNMP_AUTH_KEY;
  const privKey = stringOption(values['priv-key']) ?? env.ROOMWATCH_SNMP_PRIV_KEY;
  return {
    host,
    port,
    version,
    community: community ? new Secret(community) : undefined,
    user,
    // Like snmpget: the keys given decide the level unless it is named.
    securityLevel: (stringOption(values['security-level']) ?? (privKey ? 'authPriv' : authKey ? 'authNoPriv' : 'noAuthNoPriv')) as SnmpTarget['securityLevel'],
    authProtocol: stringOption(values['auth-protocol']) ?? (authKey ? 'sha' : undefined),
    authKey: authKey ? new Secret(authKey) : undefined,
    privProtocol: stringOption(values['priv-protocol']) ?? (privKey ? 'aes' : undefined),
    privKey: privKey ? new Secret(privKey) : undefined,
    timeoutMs,
    retries: defaults.retries as number,
    maxConcurrency: defaults.max_concurrency as number,
    maxOidsPerRequest: defaults.max_oids_per_request as number,
    maxRepetitions: defaults.max_repetitions as number,
  };
}
