import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';

/**
 * A point as kept on disk: small keys, timestamp in milliseconds. `rp` and `ns` are set for points
 * of another retention policy than the default one, written with nanosecond timestamps (alert
 * events); segments of older versions have neither and are readings.
 */
export interface StoredPoint {
  m: string;
  t: Record<string, string>;
  f: Record<string, number | string>;
  ts: number;
  rp?: string;
  /** The timestamp in nanoseconds, as digits (beyond a double's precision). */
  ns?: string;
}

interface Segment {
  name: string;
  seq: number;
  points: number;
  bytes: number;
}

const SEGMENT = /^(\d{16})-(\d+)\.ndjson$/;

/**
 * Points waiting for InfluxDB, on disk so that an outage, a SIGKILL or a power cut loses nothing
 * that reached it. Each batch is
 * one segment file written under a temporary name and renamed, so a crash mid-write leaves no
 * half segment. Segments are replayed oldest first; past `maxBytes` the oldest are dropped and
 * counted. Hand-written rather than a queue library because it needs exactly these three
 * properties (ordered, atomic per batch, byte-bounded) and nothing more.
 */
export class Spool {
  readonly #segments: Segment[] = [];
  #nextSeq = 1;
  #bytes = 0;
  #droppedPoints = 0;
  /** Recently appended batches kept in memory so the writer need not read back what it just wrote. */
  readonly #recent = new Map<string, StoredPoint[]>();

  constructor(private readonly dir: string, private readonly maxBytes: number, private readonly log: Logger) {}

  /** Scans the directory left by a previous run; no I/O happens in the constructor. */
  open(): void {
    mkdirSync(this.dir, { recursive: true });
    for (const name of readdirSync(this.dir).sort()) {
      const match = SEGMENT.exec(name);
      if (!match) {
        if (name.endsWith('.tmp')) unlinkSync(join(this.dir, name));
        continue;
      }
      const segment = { name, seq: Number(match[1]), points: Number(match[2]), bytes: statSync(join(this.dir, name)).size };
      this.#segments.push(segment);
      this.#bytes += segment.bytes;
      this.#nextSeq = Math.max(this.#nextSeq, segment.seq + 1);
    }
    if (this.#segments.length) this.log.info({ segments: this.#segments.length, points: this.pendingPoints }, 'spool holds points from an earlier run');
  }

  append(points: readonly StoredPoint[]): void {
    if (!points.length) return;
    const body = points.map((p) => JSON.stringify(p)).join('\n') + '\n';
    const seq = this.#nextSeq++;
    const name = `${String(seq).padStart(16, '0')}-${points.length}.ndjson`;
    const temp = join(this.dir, `${name}.tmp`);
    // fsync before the rename: after a power cut the segment is either complete or absent.
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, body);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, join(this.dir, name));
    const bytes = Buffer.byteLength(body);
    this.#segments.push({ name, seq, points: points.length, bytes });
    this.#recent.set(name, [...points]);
    if (this.#recent.size > 8) this.#recent.delete(this.#recent.keys().next().value!);
    this.#bytes += bytes;
    this.#enforceBound();
  }

  /** The oldest segment, without removing it: remove it only once InfluxDB has accepted it. */
  peek(): { id: string; points: StoredPoint[] } | undefined {
    const segment = this.#segments[0];
    if (!segment) return undefined;
    const cached = this.#recent.get(segment.name);
    if (cached) return { id: segment.name, points: cached };
    const text = readFileSync(join(this.dir, segment.name), 'utf8');
    const points: StoredPoint[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        points.push(JSON.parse(line) as StoredPoint);
      } catch {
        this.log.error({ segment: segment.name }, 'unreadable line in spool segment skipped');
      }
    }
    return { id: segment.name, points };
  }

  remove(id: string): void {
    const index = this.#segments.findIndex((s) => s.name === id);
    if (index < 0) return;
    const [segment] = this.#segments.splice(index, 1);
    this.#recent.delete(id);
    unlinkSync(join(this.dir, segment!.name));
    this.#bytes -= segment!.bytes;
  }

  /**
   * Moves a segment InfluxDB refused (HTTP 400: unparsable point, field type conflict) out of the
   * queue into `rejected/`, kept for people to look at: retrying it would never succeed and would
   * hold back every segment behind it.
   */
  reject(id: string): void {
    const index = this.#segments.findIndex((s) => s.name === id);
    if (index < 0) return;
    const [segment] = this.#segments.splice(index, 1);
    this.#recent.delete(id);
    mkdirSync(join(this.dir, 'rejected'), { recursive: true });
    renameSync(join(this.dir, segment!.name), join(this.dir, 'rejected', segment!.name));
    this.#bytes -= segment!.bytes;
  }

  get isEmpty(): boolean {
    return this.#segments.length === 0;
  }
  get pendingPoints(): number {
    return this.#segments.reduce((sum, s) => sum + s.points, 0);
  }
  get bytes(): number {
    return this.#bytes;
  }
  get droppedPoints(): number {
    return this.#droppedPoints;
  }

  #enforceBound(): void {
    while (this.#bytes > this.maxBytes && this.#segments.length > 1) {
      const oldest = this.#segments[0]!;
      this.remove(oldest.name);
      this.#droppedPoints += oldest.points;
      this.log.error({ points: oldest.points, droppedTotal: this.#droppedPoints, maxBytes: this.maxBytes }, 'spool full: oldest points dropped');
    }
  }
}
