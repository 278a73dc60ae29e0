import { closeSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An append-only journal of JSON records, flushed to disk (fdatasync) on every append, replayed on
 * start. Alert transitions, acknowledgements and the notification outbox live here.
 *
 * Why not SQLite: on Node 20 it needs a native addon (better-sqlite3) whose prebuilt binaries are a
 * download and whose build script npm 11 skips unless approved; node:sqlite arrives in Node 22.
 * The state is small (active alerts, an outbox, tens of transitions a minute), every write is an
 * append, and replaying a few thousand lines at start takes milliseconds: a journal gives the same
 * guarantees (survives SIGKILL and power loss, never rewrites history in place) with no addon.
 * Compaction writes the live records to a new file and renames it over the old one.
 */
export class Journal<R> {
  #fd: number | undefined;
  #appended = 0;

  constructor(readonly file: string) {}

  /** Reads every record written so far; a torn last line (crash mid-write) is ignored. */
  open(): R[] {
    mkdirSync(dirname(this.file), { recursive: true });
    const records: R[] = [];
    if (existsSync(this.file)) {
      const lines = readFileSync(this.file, 'utf8').split('\n');
      for (const line of lines) {
        if (!line) continue;
        try {
          records.push(JSON.parse(line) as R);
        } catch {
          // only the last line can be torn; anything else would have been written whole
        }
      }
    }
    this.#fd = openSync(this.file, 'a');
    return records;
  }

  append(...records: R[]): void {
    if (this.#fd === undefined) throw new Error(`journal ${this.file} is not open`);
    writeSync(this.#fd, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    fdatasyncSync(this.#fd);
    this.#appended += records.length;
  }

  get appended(): number {
    return this.#appended;
  }

  /** Replaces the journal with `records` (what is still needed), atomically. */
  compact(records: readonly R[]): void {
    const temp = `${this.file}.compact`;
    const fd = openSync(temp, 'w');
    writeSync(fd, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    fsyncSync(fd);
    closeSync(fd);
    if (this.#fd !== undefined) closeSync(this.#fd);
    renameSync(temp, this.file);
    this.#fd = openSync(this.file, 'a');
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
