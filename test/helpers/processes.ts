import { spawn } from 'node:child_process';
import { Child, sleep } from '../../mocks/child.js';

export { Child, sleep };
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'bin', 'roomwatch.js');

/** Runs the roomwatch CLI to completion. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The daemon: `roomwatch run --config FILE`. */
export function startDaemon(config: string, env: Record<string, string> = {}): Child {
  return new Child(process.execPath, [CLI, 'run', '--config', config], env);
}

/** A pymodbus slave (Debian python3-pymodbus) serving a register map; see fixtures/modbus_slave.py. */
export async function startModbusSlave(map: string, mode: 'tcp' | 'rtu' | 'rtu-over-tcp', where: { port?: number; serial?: string }): Promise<Child> {
  const args = [join(ROOT, 'test', 'fixtures', 'modbus_slave.py'), '--map', map, '--mode', mode];
  if (where.port) args.push('--port', String(where.port));
  if (where.serial) args.push('--serial', where.serial);
  const child = new Child('/usr/bin/python3', args);
  await child.waitFor('ready');
  return child;
}


/** Polls `check` until it returns a truthy value or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
