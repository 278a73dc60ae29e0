import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { hashToken, newToken } from '../api/credentials.js';

/** Who the console login of the demo is: an operator, so acknowledging and silencing work from it. */
export const DEMO_CONSOLE_USER = 'demo-operator';

export interface DemoAccess {
  /** The configuration the demo's daemon runs: the room file with the console user added. */
  file: string;
  /** The console user's token, made for this run and kept nowhere but the printed banner. */
  consoleToken: string;
  /** The admin token (api.token through ROOMWATCH_API_TOKEN) the CLI uses. */
  adminToken: string;
}

/**
 * Per-run credentials for the demo: no token is committed. The admin is the room file's api.token,
 * read from ROOMWATCH_API_TOKEN, which is set here unless the caller set it; the console operator
 * is added to api.users in a copy of the room file written beside it (so every path in it stays
 * relative to the same folder) under a dot name, removed again when the demo stops.
 */
export function demoAccess(room: string, env: NodeJS.ProcessEnv = process.env): DemoAccess {
  env.ROOMWATCH_API_TOKEN ??= newToken();
  const consoleToken = newToken();
  const doc = parseDocument(readFileSync(room, 'utf8'));
  const listed: unknown[] = (doc.toJS() as { api?: { users?: unknown[] } } | null)?.api?.users ?? [];
  doc.setIn(['api', 'users'], doc.createNode([...listed, { name: DEMO_CONSOLE_USER, role: 'operator', token_hash: hashToken(consoleToken) }], { flow: true }));
  const file = join(dirname(room), `.${basename(room, '.yaml')}.run.yaml`);
  writeFileSync(file, `# Written by roomwatch demo for this run (removed when it stops): ${basename(room)} with the console's login.\n${doc.toString()}`, { mode: 0o600 });
  return { file, consoleToken, adminToken: env.ROOMWATCH_API_TOKEN };
}
