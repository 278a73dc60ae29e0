import { resolveSecret } from '../../../common/config/secret.js';
import { parseDuration } from '../../../common/config/units.js';
import type { ConfigIssue } from '../../../common/config/yaml-source.js';
import type { PointMeaning } from '../../../common/contracts/device.js';
import type { At, CompiledPoint, PointAt, TargetContext } from '../driver-config.js';
import type { SnmpConnectionInput } from './connection-schema.js';
import type { SnmpPointInput } from './point-schema.js';
import type { SnmpColumnPoint, SnmpScalarPoint, SnmpTarget } from './types.js';

export function compileSnmpPoint(input: SnmpPointInput, base: PointMeaning, { source, path, written }: PointAt): CompiledPoint<SnmpScalarPoint | SnmpColumnPoint> {
  const warnings = snmpPointWarnings(input, { source, path });
  const strip = (oid: string) => oid.replace(/^\./, '');
  if (input.oid && input.column) return { issue: source.issueAt(path, 'give either "oid" (a scalar) or "column" (a table column), not both') };
  if (input.oid) {
    if (written.has('index_tag') || input.index_names) return { issue: source.issueAt(path, '"index_tag" and "index_names" only apply to a "column" point') };
    return { point: { ...base, kind: 'snmp-scalar', oid: strip(input.oid), valueType: input.value_type }, warnings };
  }
  if (input.column) {
    return {
      point: {
        ...base,
        kind: 'snmp-column',
        column: strip(input.column),
        indexTag: input.index_tag,
        indexNames: input.index_names ? { column: strip(input.index_names.column), map: input.index_names.map } : undefined,
        valueType: input.value_type,
      },
      warnings,
    };
  }
  return { issue: source.issueAt(path, 'an SNMP point needs "oid" (a scalar such as ...1.2.4.0) or "column" (a table column)') };
}

/** Scaling keys on an SNMP text point have no effect. */
function snmpPointWarnings(input: SnmpPointInput, { source, path }: At): ConfigIssue[] {
  if (input.value_type !== 'string') return [];
  return (['scale', 'offset', 'binary_point'] as const)
    .filter((key) => input[key] !== undefined)
    .map((key) => source.warningAt([...path, key], `"${key}" has no effect on a point with value_type string`, true));
}

export function compileSnmp(input: SnmpConnectionInput, { source, path, issues, env }: TargetContext<unknown>): SnmpTarget {
  const secret = (key: 'community' | 'auth_key' | 'priv_key') => {
    const value = input[key];
    return value === undefined ? undefined : resolveSecret(value, env, source, [...path, key], issues);
  };
  const target: SnmpTarget = {
    host: input.host,
    port: input.port,
    version: input.version,
    community: secret('community'),
    user: input.user,
    securityLevel: input.security_level,
    authProtocol: input.auth_protocol,
    authKey: secret('auth_key'),
    privProtocol: input.priv_protocol,
    privKey: secret('priv_key'),
    context: input.context,
    timeoutMs: parseDuration(input.timeout),
    retries: input.retries,
    maxConcurrency: input.max_concurrency,
    maxOidsPerRequest: input.max_oids_per_request,
    maxRepetitions: input.max_repetitions,
  };
  if (input.version === '3') {
    // The default level depends on the version, so it is set here rather than in the schema.
    const level = input.security_level ?? 'authPriv';
    target.securityLevel = level;
    if (!input.user) issues.push(source.issueAt(path, 'SNMPv3 needs "user"'));
    if (level !== 'noAuthNoPriv' && (!input.auth_protocol || !input.auth_key)) {
      issues.push(source.issueAt(path, `security level ${level} needs "auth_protocol" and "auth_key"`));
    }
    if (level === 'authPriv' && (!input.priv_protocol || !input.priv_key)) {
      issues.push(source.issueAt(path, 'security level authPriv needs "priv_protocol" and "priv_key"'));
    }
    if (input.community !== undefined) issues.push(source.issueAt([...path, 'community'], 'SNMPv3 does not use "community"; remove it', true));
  } else if (input.community === undefined) {
    issues.push(source.issueAt(path, `SNMP v${input.version} needs "community" (a string or { env: NAME })`));
  }
  return target;
}
