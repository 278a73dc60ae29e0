import { Writable } from 'node:stream';
import { pino } from 'pino';

/** A real pino logger whose JSON lines are kept in memory, for asserting on what was logged. */
export function capturingLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino(stream), lines };
}
