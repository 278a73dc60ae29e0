import { inspect } from 'node:util';
import type { ConfigIssue, PathSegment, YamlSource } from './yaml-source.js';

const REDACTED = '<secret>';

/**
 * A credential from config (SNMP community, v3 keys, passwords). Every way of turning it into text
 * (string coercion, JSON, util.inspect as used by loggers) yields "<secret>"; only reveal() gives
 * the value, and only drivers call it when they open a session.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

/**
 * Every Secret reachable from `root` (a loaded configuration, device specs), found by walking its
 * objects and arrays, so a new secret key in the schema is covered without a list to maintain.
 */
export function findSecrets(root: unknown): Secret[] {
  const found = new Set<Secret>();
  const seen = new Set<object>();
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (value instanceof Secret) {
      found.add(value);
      return;
    }
    for (const item of value instanceof Map ? value.values() : Object.values(value)) walk(item);
  };
  walk(root);
  return [...found];
}

/**
 * Replaces every configured secret value in a text with "<secret>". Applied where a library's
 * error text becomes a log line, a stored value or CLI output: libraries quote credentials
 * (net-snmp names communities in its errors) and Secret cannot stop them.
 */
export class SecretScrubber {
  readonly #values: string[];

  constructor(secrets: Iterable<Secret>) {
    // Longest first, so a secret that contains another is replaced whole.
    this.#values = [...new Set([...secrets].map((s) => s.reveal()).filter((v) => v.length > 0))].sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const value of this.#values) if (out.includes(value)) out = out.split(value).join(REDACTED);
    return out;
  }
}

/** The process environment, or a test's stand-in for it. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * A secret given inline or as { env: NAME }. A missing or empty variable is a located issue (the
 * variable's name is fine to show; its value never is) and yields an empty secret, so that loading
 * goes on and reports every other problem too.
 */
export function resolveSecret(value: string | { env: string }, env: Env, source: YamlSource, path: PathSegment[], issues: ConfigIssue[]): Secret {
  if (typeof value === 'string') return new Secret(value);
  const found = env[value.env];
  if (found === undefined || found === '') {
    issues.push(source.issueAt(path, `environment variable ${value.env} is not set (or empty)`));
    return new Secret('');
  }
  return new Secret(found);
}
