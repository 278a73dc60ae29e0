import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { LEGACY_TOKEN_NAME, type ApiUser } from '../../api/credentials.js';
import { resolveSecret, Secret, type Env } from '../../common/config/secret.js';
import type { ConfigIssue, YamlSource } from '../../common/config/yaml-source.js';
import type { MainConfigInput } from './main-schema.js';

export interface ApiSettings {
  host: string;
  port: number;
  /** The legacy api.token: an admin named "api.token". */
  token?: Secret;
  users: ApiUser[];
  /** Read when the configuration is loaded, so an unreadable file stops the start with its line. */
  tls?: { certFile: string; keyFile: string; cert: string; key: Secret };
}

/**
 * The `api` section: listen address, users (names and token hashes unique), the legacy token and
 * the TLS files. `serving` false (a report run from cron) leaves the token and TLS files unread, so
 * their variable need not be set nor their files readable there.
 */
export function compileApi(raw: MainConfigInput['api'], source: YamlSource, base: string, env: Env, serving: boolean, issues: ConfigIssue[]): ApiSettings {
  const names = new Map<string, number>();
  const hashes = new Map<string, number>();
  raw.users.forEach((user, i) => {
    const lineOf = (index: number) => source.issueAt(['api', 'users', index], '').line;
    if (user.name === LEGACY_TOKEN_NAME) issues.push(source.issueAt(['api', 'users', i, 'name'], `the name "${LEGACY_TOKEN_NAME}" is taken by api.token; choose another`));
    const sameName = names.get(user.name);
    if (sameName !== undefined) issues.push(source.issueAt(['api', 'users', i, 'name'], `duplicate user name "${user.name}" (first at line ${lineOf(sameName)}): each user needs a name of their own`));
    else names.set(user.name, i);
    const sameHash = hashes.get(user.token_hash);
    // The hash is not secret, but repeating it is not needed: the line number says which user has it.
    if (sameHash !== undefined) issues.push(source.issueAt(['api', 'users', i, 'token_hash'], `the same token_hash as user "${raw.users[sameHash]!.name}" (line ${lineOf(sameHash)}): each user needs a token of their own (roomwatch token new)`));
    else hashes.set(user.token_hash, i);
  });
  const token = raw.token === undefined || !serving ? undefined : resolveSecret(raw.token, env, source, ['api', 'token'], issues);
  const read = (key: 'cert_file' | 'key_file'): string | undefined => {
    const file = resolve(base, raw.tls![key]);
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      issues.push(source.issueAt(['api', 'tls', key], `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`));
      return undefined;
    }
  };
  let tls: ApiSettings['tls'];
  if (raw.tls && serving) {
    const cert = read('cert_file');
    const key = read('key_file');
    if (cert !== undefined && key !== undefined) {
      try {
        // Checked now, not when the listener starts: a mismatched or malformed pair is a configuration error with its line.
        createSecureContext({ cert, key });
        tls = { certFile: resolve(base, raw.tls.cert_file), keyFile: resolve(base, raw.tls.key_file), cert, key: new Secret(key) };
      } catch (error) {
        issues.push(source.issueAt(['api', 'tls'], `the certificate and key cannot be used together: ${(error as Error).message}; expected a PEM certificate and its PEM private key`));
      }
    }
  }
  const at = raw.listen.lastIndexOf(':');
  return {
    host: raw.listen.slice(0, at),
    port: Number(raw.listen.slice(at + 1)),
    ...(token ? { token } : {}),
    users: raw.users.map((u) => ({ name: u.name, role: u.role, tokenHash: u.token_hash })),
    ...(tls ? { tls } : {}),
  };
}
