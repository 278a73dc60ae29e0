import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built logger (`npm test` builds first), so the child runs what the daemon runs. */
const LOGGER = pathToFileURL(`${ROOT}dist/common/log.js`).href;
/** 2026-11-22T04:00:00Z, which is 12:00 in Beijing. */
const INSTANT = Date.parse('2026-11-22T04:00:00Z');

// The child pins the clock (pino stamps lines with Date.now) and logs one warning carrying a
// credential under its usual name, the way a driver error might.
const SCRIPT = `
Date.now = () => ${INSTANT};
const { createLogger } = await import(${JSON.stringify(LOGGER)});
try {
  const log = createLogger('info');
  log.warn({ device: 'ups-3', snmp: { community: 'c0mmunity-s3cret' } }, 'device did not answer');
} catch (error) {
  process.stderr.write(error.message);
  process.exitCode = 3;
}
`;

const child = (env: Record<string, string>) =>
  run(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', TZ: 'Asia/Shanghai', ...env } });

describe('log format', () => {
  it('writes one readable line in local time with ROOMWATCH_LOG_FORMAT=pretty, secrets redacted', async () => {
    const { stdout } = await child({ ROOMWATCH_LOG_FORMAT: 'pretty' });
    expect(stdout).toBe('[2026-11-22 12:00:00.000] WARN: device did not answer {"device":"ups-3","snmp":{"community":"<secret>"}}\n');
  });

  it('writes parseable JSON with ROOMWATCH_LOG_FORMAT=json, and when the output is not a terminal', async () => {
    for (const env of [{ ROOMWATCH_LOG_FORMAT: 'json' }, {}] as Array<Record<string, string>>) {
      const { stdout } = await child(env);
      const lines = stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 40, time: INSTANT, app: 'roomwatch', device: 'ups-3', snmp: { community: '<secret>' }, msg: 'device did not answer' });
      expect(stdout).not.toContain('c0mmunity-s3cret');
    }
  });

  it('is pretty on a terminal when nothing is asked', async () => {
    // script(1) gives the child a pseudo-terminal as its stdout.
    const command = `${JSON.stringify(process.execPath)} --input-type=module -e ${shellQuote(SCRIPT)}`;
    const { stdout } = await run('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', TZ: 'Asia/Shanghai', TERM: 'dumb' } });
    const plain = stdout.replace(ANSI_COLOUR, '').replace(/\r/g, '');
    expect(plain).toBe('[2026-11-22 12:00:00.000] WARN: device did not answer {"device":"ups-3","snmp":{"community":"<secret>"}}\n');
  });

  it('refuses an unknown ROOMWATCH_LOG_FORMAT with the accepted values', async () => {
    const failed = await child({ ROOMWATCH_LOG_FORMAT: 'xml' }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(3);
    expect(failed?.stderr).toBe('ROOMWATCH_LOG_FORMAT is "xml"; expected one of json, pretty (or unset: pretty on a terminal, JSON otherwise)');
  });
});

/** Colour escapes (ESC [ … m), built from a string so the regex holds no control character. */
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
