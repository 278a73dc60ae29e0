import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { BadDatagramLog } from './bad-datagrams.js';

function capture(): { lines: Array<Record<string, unknown>>; log: Logger } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: pino({ level: 'trace' }, sink) };
}

describe('BadDatagramLog', () => {
  it('logs 10,000 bad datagrams over ten minutes as the first plus one summary a minute, per peer, counting every one', () => {
    const { lines, log } = capture();
    let now = 0;
    const bad = new BadDatagramLog(log, 'bad SNMP datagram ignored', 60_000, () => now);
    for (let i = 0; i < 10_000; i++) {
      now = i * 60; // 10,000 datagrams, one every 60 ms: ten minutes
      bad.record('10.0.0.1:161', `garbage ${i}`);
      if (i % 10 === 0) bad.record('10.0.0.2:161', 'other');
    }
    bad.flush();
    const one = lines.filter((l) => l.peer === '10.0.0.1:161');
    // The first at once, a summary every minute (9 within the ten minutes), the rest at flush.
    expect(one).toHaveLength(1 + 9 + 1);
    expect(one[0]).toMatchObject({ err: 'garbage 0' });
    const summaries = one.slice(1) as Array<{ count: number; total: number; last_err: string }>;
    expect(1 + summaries.reduce((sum, l) => sum + l.count, 0)).toBe(10_000);
    expect(summaries.at(-1)).toMatchObject({ total: 10_000, last_err: 'garbage 9999' });
    expect(bad.totals()).toEqual({ '10.0.0.1:161': 10_000, '10.0.0.2:161': 1_000 });
    expect(lines.filter((l) => l.peer === '10.0.0.2:161')).toHaveLength(1 + 9 + 1);
  });

  it('says nothing at flush when everything counted was already logged', () => {
    const { lines, log } = capture();
    const bad = new BadDatagramLog(log, 'x', 60_000, () => 0);
    bad.record('a', 'once');
    bad.flush();
    expect(lines).toHaveLength(1);
  });
});
