import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { projectRoot } from '../common/config/project-root.js';
import { validateCommand } from './validate.js';

/** `roomwatch validate` as run from a shell, capturing what it prints. */
function validate(file: string): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => err.push(String(chunk)) > 0);
  try {
    return { code: validateCommand(file), out: out.join(''), err: err.join('') };
  } finally {
    vi.restoreAllMocks();
  }
}

const demo = join(projectRoot(), 'config', 'demo', 'roomwatch.yaml');
afterEach(() => vi.unstubAllEnvs());

describe('roomwatch validate and the API token', () => {
  it('passes the demo configuration without ROOMWATCH_API_TOKEN, saying run needs it', () => {
    vi.stubEnv('ROOMWATCH_API_TOKEN', undefined);
    const { code, out, err } = validate(demo);
    expect(code).toBe(0);
    expect(out).toBe(`${demo}: valid (2 sites, 13 devices, 7 templates), 1 warning\n`);
    expect(err).toBe(`${demo}:14:10: warning: api.token: environment variable ROOMWATCH_API_TOKEN is not set (or empty) here; "roomwatch run" refuses to start until it is set in the daemon's environment\n`);
  });

  it('says nothing of the token when it is set', () => {
    vi.stubEnv('ROOMWATCH_API_TOKEN', 'demo-token-1234');
    expect(validate(demo)).toEqual({ code: 0, out: `${demo}: valid (2 sites, 13 devices, 7 templates)\n`, err: '' });
  });

  it('still fails on a real problem, counting the unset token as a warning, not a problem', () => {
    vi.stubEnv('ROOMWATCH_API_TOKEN', undefined);
    const dir = mkdtempSync(join(tmpdir(), 'validate-token-'));
    const file = join(dir, 'roomwatch.yaml');
    const broken = readFileSync(demo, 'utf8').replace('device_files: [devices]', `device_files: [${join(projectRoot(), 'config', 'demo', 'devices')}]\n`).replace('  - id: county-a', '  - id: prov');
    writeFileSync(file, broken);
    const { code, err } = validate(file);
    expect(code).toBe(1);
    expect(err).toMatch(/: warning: api\.token: environment variable ROOMWATCH_API_TOKEN is not set/);
    expect(err.trim().split('\n').at(-1)).toMatch(/^\d+ problems? and 1 warning found; nothing was started\.$/);
  });
});
