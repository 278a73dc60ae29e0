import { loadConfig, type RoomwatchConfig } from '../app/config/load.js';
import { formatIssue } from '../common/config/yaml-source.js';

/**
 * Settings a SIGHUP reload refuses to change. Moving the spool or the alert journal would leave
 * unsent readings, active alerts, acknowledgements and the outbox behind in the old directory;
 * moving the API or trap listener, or changing the token, would silently cut off the people and
 * devices that use them. Refusing and asking for a restart is loud and simple; applying them
 * half-way on a running daemon is neither.
 *
 * Returns one line per refused change (never a secret's value), empty when the reload may proceed.
 */
export function restartOnlyChanges(running: RoomwatchConfig, next: RoomwatchConfig): string[] {
  const changes: string[] = [];
  const compare = (what: string, before: string, after: string) => {
    if (before !== after) changes.push(`${what}: ${before} → ${after}`);
  };
  compare('spool.dir', running.spool.dir, next.spool.dir);
  compare('alerting.state_dir', running.alerting.stateDir, next.alerting.stateDir);
  compare('api.listen', `${running.api.host}:${running.api.port}`, `${next.api.host}:${next.api.port}`);
  const token = (config: RoomwatchConfig) => config.api.token?.reveal();
  if (token(running) !== token(next)) {
    changes.push(`api.token: ${token(running) === undefined ? 'added' : token(next) === undefined ? 'removed' : 'changed'}`);
  }
  // api.users may change (the API is rebuilt on every start, and a removed user's sessions end with it);
  // turning TLS on or off or moving its files would change how every client connects. New content in
  // the same files is taken (a renewed certificate).
  const tls = (config: RoomwatchConfig) => (config.api.tls ? `${config.api.tls.certFile} + ${config.api.tls.keyFile}` : 'off');
  compare('api.tls', tls(running), tls(next));
  const traps = (config: RoomwatchConfig) => (config.traps ? `${config.traps.host}:${config.traps.port}` : 'off');
  compare('traps.listen', traps(running), traps(next));
  return changes;
}

/**
 * Whether the file may replace the running configuration: the same checks for SIGHUP and for
 * POST /api/reload. Problems are located (file:line:column) and name no secret.
 */
export type ReloadVerdict = { ok: true; config: RoomwatchConfig } | { ok: false; problems: string[] } | { ok: false; restart: string[] };

export function reloadVerdict(file: string, running: RoomwatchConfig): ReloadVerdict {
  const next = loadConfig(file);
  if (!next.ok) return { ok: false, problems: next.issues.map(formatIssue) };
  const restart = restartOnlyChanges(running, next.config);
  return restart.length ? { ok: false, restart } : { ok: true, config: next.config };
}
