import { spawn, type ChildProcess } from 'node:child_process';

/** A long-running child process whose output is kept for assertions and failure messages. */
export class Child {
  readonly process: ChildProcess;
  output = '';

  constructor(command: string, args: string[], env: Record<string, string> = {}) {
    this.process = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    // Only the recent output is kept: enough for assertions and error messages, bounded for
    // children that run for days (the demo).
    const keep = (d: Buffer) => (this.output = (this.output + d.toString()).slice(-65_536));
    this.process.stdout!.on('data', keep);
    this.process.stderr!.on('data', keep);
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async waitFor(text: string | RegExp, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (typeof text === 'string' ? this.output.includes(text) : text.test(this.output)) return;
      if (!this.alive) throw new Error(`process exited (${this.process.exitCode ?? this.process.signalCode}) before printing ${String(text)}:\n${this.output}`);
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${String(text)}:\n${this.output}`);
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.alive) return Promise.resolve(this.process.exitCode);
    return new Promise((resolve) => {
      this.process.once('exit', (code) => resolve(code));
      this.process.kill(signal);
    });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
