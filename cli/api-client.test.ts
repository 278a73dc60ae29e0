import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { alertsCommand } from './alerts.js';
import { apiTarget } from './api-client.js';
import { app, bearers, captured, roomwatchAlerts, TOKEN, url, useAlertsApiBed } from '../test/helpers/alerts-cli-bed.js';

// Where the CLI finds the daemon and its token, and what it says when it cannot reach it.
useAlertsApiBed();

describe('where roomwatch alerts finds the API', () => {
  /** A configuration whose api section points at the test app, the token in $RW_CLI_TOKEN. */
  function configFile(api: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'alerts-cli-config-'));
    const file = join(dir, 'roomwatch.yaml');
    writeFileSync(file, `influxdb: { url: "http://127.0.0.1:8086", database: x }\napi:\n${api}\nsites: []\ndevices: []\n`);
    return file;
  }
  const listen = () => new URL(url).host;

  it('takes api.listen and api.token from --config, or from $ROOMWATCH_CONFIG', async () => {
    vi.stubEnv('ROOMWATCH_API_TOKEN', '');
    vi.stubEnv('RW_CLI_TOKEN', TOKEN);
    const file = configFile(`  listen: "${listen()}"\n  token: { env: RW_CLI_TOKEN }`);
    const viaFlag = await captured(() => alertsCommand(['ack', '8adef1bcde', '--by', '张工', '--config', file, '--lang', 'en']));
    expect([viaFlag.code, viaFlag.out[0]]).toEqual([0, 'acknowledged 8adef1bcde as 张工']);
    vi.stubEnv('ROOMWATCH_CONFIG', file);
    const viaEnv = await captured(() => alertsCommand(['--lang', 'en']));
    expect(viaEnv.code).toBe(0);
    expect(bearers).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
  });

  it('reads a token file relative to the configuration, and lets ROOMWATCH_API_TOKEN and --api win', () => {
    const file = configFile('  listen: "127.0.0.1:1"\n  token: { file: secrets/api-token }');
    mkdirSync(join(dirname(file), 'secrets'));
    writeFileSync(join(dirname(file), 'secrets', 'api-token'), 'from-the-file\n');
    vi.stubEnv('ROOMWATCH_API_TOKEN', '');
    expect(apiTarget({ config: file })).toEqual({ base: 'http://127.0.0.1:1', baseFrom: `${file} (api.listen)`, token: 'from-the-file', tokenFrom: `${join(dirname(file), 'secrets', 'api-token')} (api.token in ${file})` });
    expect(apiTarget({ config: file, api: 'http://10.0.0.5:8080/' }, { ROOMWATCH_API_TOKEN: 'from-env' })).toMatchObject({ base: 'http://10.0.0.5:8080', baseFrom: '--api', token: 'from-env', tokenFrom: 'ROOMWATCH_API_TOKEN' });
  });

  it('finds ./roomwatch.yaml, speaks https when api.tls is set, and reaches a wildcard listener on loopback', () => {
    const file = configFile('  listen: "0.0.0.0:8443"\n  tls: { cert_file: c.pem, key_file: k.pem }\n  token: inline-token-000');
    expect(apiTarget({}, {}, dirname(file))).toMatchObject({ base: 'https://127.0.0.1:8443', baseFrom: 'roomwatch.yaml (api.listen)', token: 'inline-token-000' });
    const fallback = apiTarget({}, {}, tmpdir());
    expect([fallback.base, fallback.baseFrom]).toEqual(['http://127.0.0.1:8080', 'the default address (no --api, no --config, no ./roomwatch.yaml)']);
    expect(() => apiTarget({ config: join(tmpdir(), 'no-such-roomwatch.yaml') })).toThrow(/^cannot read the configuration: .*no-such-roomwatch\.yaml:1:1: \(document\): cannot read the file: ENOENT/);
  });

  it('says where it looked for the API and why it could not reach it', async () => {
    await app.close();
    await expect(roomwatchAlerts()).rejects.toThrow(`cannot reach the roomwatch API at ${url} (from --api): connect ECONNREFUSED ${listen()}; is "roomwatch run" listening there? (--api URL or --config FILE)`);
    const file = configFile(`  listen: "${listen()}"`);
    await expect(captured(() => alertsCommand(['--config', file]))).rejects.toThrow(`cannot reach the roomwatch API at ${url} (from ${file} (api.listen)): connect ECONNREFUSED`);
  });

  it('explains a 401 by the variable the configuration names when it is not set', async () => {
    vi.stubEnv('ROOMWATCH_API_TOKEN', '');
    vi.stubEnv('RW_CLI_TOKEN', '');
    const file = configFile(`  listen: "${listen()}"\n  token: { env: RW_CLI_TOKEN }`);
    const refused = await captured(() => alertsCommand(['ack', '8adef1bcde', '--by', '张工', '--config', file]));
    expect([refused.code, refused.err]).toEqual([1, `roomwatch alerts ack: 401 credentials needed: send "Authorization: Bearer <token>", or log in to the console (POST /api/session) (token from nowhere: api.token in ${file} is $RW_CLI_TOKEN, which is not set here)\n`]);
  });
});
