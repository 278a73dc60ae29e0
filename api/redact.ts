import { findSecrets, Secret, SecretScrubber } from '../common/config/secret.js';
import type { DeviceSpec, DeviceTemplate } from '../common/contracts/device.js';

/** What effectiveConfig needs to know of a loaded configuration (app/config/load.ts RoomwatchConfig); the rest is walked as it is. */
export interface LoadedConfig {
  templates: ReadonlyMap<string, DeviceTemplate>;
  devices: readonly DeviceSpec[];
}

export const REDACTED = '<secret>';

/**
 * A URL with its credentials hidden: the password of user:password@, and every query value (a
 * DingTalk access_token, a WeCom key, an InfluxDB token all travel there, and which parameters are
 * secret is the receiver's business, not ours). Text that is no URL comes back as it was.
 */
export function redactUrl(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  if (!url.password && !url.search) return text;
  if (url.password) url.password = REDACTED;
  for (const key of [...new Set(url.searchParams.keys())]) url.searchParams.set(key, REDACTED);
  // URL percent-encodes the marker; people read it as written.
  return url.toString().replace(/%3Csecret%3E/gi, REDACTED);
}

/**
 * The loaded configuration as JSON people may read: every Secret as "<secret>", URLs through
 * redactUrl, and any configured secret value that still turns up in some text (an inline
 * credential quoted in a warning) replaced too. Templates are named, not repeated per device.
 */
export function effectiveConfig(config: LoadedConfig): Record<string, unknown> {
  const scrubber = new SecretScrubber(findSecrets(config));
  const templates = [...config.templates.values()].map((t) => ({ name: t.name, description: t.description, driver: t.driver, category: t.category, file: t.file, points: t.points.length, rules: t.rules.map((r) => r.name) }));
  const shaped = { ...config, templates, devices: config.devices.map((d) => ({ ...d, template: d.template.name })) };
  return plain(shaped, (text) => scrubber.scrub(redactUrl(text)), new Set()) as Record<string, unknown>;
}

function plain(value: unknown, text: (s: string) => string, path: Set<object>): unknown {
  if (value instanceof Secret) return REDACTED;
  if (typeof value === 'string') return text(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (typeof value !== 'object') return undefined;
  // Shared objects (a Modbus line of several devices) repeat; only a cycle is cut.
  if (path.has(value)) return undefined;
  path.add(value);
  try {
    if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v, text, path)]));
    if (Array.isArray(value)) return value.map((v) => plain(v, text, path) ?? null);
    if (value instanceof RegExp) return text(value.source);
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const converted = plain(v, text, path);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  } finally {
    path.delete(value);
  }
}
