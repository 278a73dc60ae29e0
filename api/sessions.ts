import { randomBytes } from 'node:crypto';

/** A console login lasts while it is used: 12 hours without a request ends it. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/**
 * At most this many sessions are held; a new login beyond it ends the one idle longest. Logging in
 * needs a valid token, so only a holder could fill the store, but memory stays bounded regardless.
 */
export const MAX_SESSIONS = 10_000;

interface Session {
  tokenHash: string;
  lastSeen: number;
}

/**
 * Console sessions, in memory: a restart logs everyone out, which is acceptable for a console and
 * keeps session ids out of every file. A session remembers the hash of the token it was opened with,
 * not a name and role, so the current configuration decides who it is (api/credentials.ts).
 * Map iteration order is insertion order, and a used session is re-inserted, so the first entry is
 * always the one idle longest.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new session id: 32 random bytes, base64url. */
  open(tokenHash: string): string {
    this.#sweep();
    if (this.#sessions.size >= MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    this.#sessions.set(id, { tokenHash, lastSeen: this.now() });
    return id;
  }

  /** The token hash of a live session, which counts as its use; undefined when unknown or idle too long. */
  touch(id: string): string | undefined {
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    this.#sessions.delete(id);
    if (this.now() - session.lastSeen >= SESSION_IDLE_MS) return undefined;
    session.lastSeen = this.now();
    this.#sessions.set(id, session);
    return session.tokenHash;
  }

  close(id: string): void {
    this.#sessions.delete(id);
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Ends sessions idle too long, oldest first, stopping at the first one still live. */
  #sweep(): void {
    for (const [id, session] of this.#sessions) {
      if (this.now() - session.lastSeen < SESSION_IDLE_MS) return;
      this.#sessions.delete(id);
    }
  }
}
