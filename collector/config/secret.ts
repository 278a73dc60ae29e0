import { inspect } from 'node:util';

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
