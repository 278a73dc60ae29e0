import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Secret } from '../common/config/secret.js';
import type { Role } from './access.js';

/** A person or program allowed in, as the configuration lists it (api.users): the token's hash, never the token. */
export interface ApiUser {
  name: string;
  role: Role;
  /** `sha256:<64 hex>` of the token. */
  tokenHash: string;
}

/** The name the legacy `api.token` is known by in audit lines and acknowledgements. */
export const LEGACY_TOKEN_NAME = 'api.token';
export const TOKEN_HASH_PATTERN = '^sha256:[0-9a-f]{64}$';

/**
 * The hash stored for a token. Tokens are 32 random bytes, so guessing one is hopeless and a fast
 * hash is enough (a slow password hash would only make every request cost milliseconds).
 */
export function hashToken(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/** A new token: 32 random bytes, base64url (43 characters, safe in headers, YAML and shells). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Who a token or a session's token hash belongs to, for the configuration the API was built with. */
export class Credentials {
  readonly #byHash: Map<string, string>;
  readonly #roles = new Map<string, Role>();
  readonly #legacy: Buffer | undefined;
  readonly #legacyHash: string | undefined;

  constructor(users: readonly ApiUser[], legacyToken?: Secret) {
    this.#byHash = new Map(users.map((u) => [u.tokenHash, u.name]));
    for (const user of users) this.#roles.set(user.name, user.role);
    const legacy = legacyToken?.reveal();
    this.#legacy = legacy === undefined ? undefined : Buffer.from(legacy, 'utf8');
    this.#legacyHash = legacy === undefined ? undefined : hashToken(legacy);
  }

  /** Whether anyone at all can authenticate: without users or token every protected route is closed. */
  get empty(): boolean {
    return this.#byHash.size === 0 && this.#legacy === undefined;
  }

  /** The token's holder and the hash a session keeps to find them again; undefined for a wrong token. */
  verify(token: string): { name: string; role: Role; tokenHash: string } | undefined {
    const tokenHash = hashToken(token);
    const name = this.#byHash.get(tokenHash);
    if (name !== undefined) return { name, role: this.#roles.get(name)!, tokenHash };
    // The legacy token may be a short word someone chose: compared in constant time, so the answer's
    // timing does not tell how much of a guess was right (the users' hashes need not be: a lookup
    // by hash reveals nothing about the token).
    const given = Buffer.from(token, 'utf8');
    if (this.#legacy && given.length === this.#legacy.length && timingSafeEqual(given, this.#legacy)) {
      return { name: LEGACY_TOKEN_NAME, role: 'admin', tokenHash };
    }
    return undefined;
  }

  /**
   * The holder of the token with this hash, as configured now: a session keeps the hash rather than a
   * name and role, so a reload that removes a user or changes a role applies to their sessions too.
   */
  byHash(tokenHash: string): { name: string; role: Role } | undefined {
    const name = this.#byHash.get(tokenHash);
    if (name !== undefined) return { name, role: this.#roles.get(name)! };
    if (tokenHash === this.#legacyHash) return { name: LEGACY_TOKEN_NAME, role: 'admin' };
    return undefined;
  }
}
