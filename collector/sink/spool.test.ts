import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Spool, type StoredPoint } from './spool.js';

const log = pino({ level: 'silent' });
const batch = (n: number, from = 0): StoredPoint[] => Array.from({ length: n }, (_, i) => ({ m: 'ups', t: { d: 'u1' }, f: { v: from + i }, ts: from + i }));

describe('Spool', () => {
  it('returns batches oldest first and survives a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spool-'));
    const spool = new Spool(dir, 1 << 20, log);
    spool.open();
    spool.append(batch(3, 0));
    spool.append(batch(2, 3));
    // A write interrupted by a crash leaves only a temporary file, which the next open discards.
    writeFileSync(join(dir, '0000000000000003-5.ndjson.tmp'), '{"m":"ups"');

    const reopened = new Spool(dir, 1 << 20, log);
    reopened.open();
    expect(reopened.pendingPoints).toBe(5);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
    const first = reopened.peek()!;
    expect(first.points.map((p) => p.f.v)).toEqual([0, 1, 2]);
    reopened.remove(first.id);
    expect(reopened.peek()!.points.map((p) => p.f.v)).toEqual([3, 4]);
    reopened.append(batch(1, 5));
    expect(reopened.pendingPoints).toBe(3);
  });

  it('drops the oldest batches past its size bound and counts what it dropped', () => {
    const spool = new Spool(mkdtempSync(join(tmpdir(), 'spool-')), 2000, log);
    spool.open();
    for (let i = 0; i < 20; i++) spool.append(batch(10, i * 10));
    expect(spool.bytes).toBeLessThanOrEqual(2000);
    expect(spool.droppedPoints + spool.pendingPoints).toBe(200);
    expect(spool.droppedPoints).toBeGreaterThan(0);
    expect(spool.peek()!.points[0]!.f.v).toBe(spool.droppedPoints);
  });
});
