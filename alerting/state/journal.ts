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
 * Rotation keeps history whole: the full journal is moved, untouched, into history/ and a new one
 * starts with only the live records (active alerts, pending notifications, silences in force).
 */
export class Journal<R> {
  #fd: number | undefined;
  #appended = 0;
  #replayed = 0;
  #baseline = 0;

  constructor(readonly file: string) {}

  /** Reads every record written so far; a torn last line (crash mid-write) is ignored. */
  open(): R[] {
    mkdirSync(dirname(this.file), { recursive: true });
    // A rotation interrupted between its two renames leaves the new journal under its temporary name.
    if (!existsSync(this.file) && existsSync(`${this.file}.next`)) renameSync(`${this.file}.next`, this.file);
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
    this.#replayed = records.length;
    return records;
  }

  append(...records: R[]): void {
    if (this.#fd === undefined) throw new Error(`journal ${this.file} is not open`);
    writeSync(this.#fd, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    fdatasyncSync(this.#fd);
    this.#appended += records.length;
  }

  /** Records added to the file since it was opened or last rotated (its live start excluded). */
  get growth(): number {
    return this.#replayed + this.#appended - this.#baseline;
  }

  /**
   * Moves the whole journal to `archive` (history is never rewritten) and starts a new one holding
   * `live`. Each step is a rename of a complete, fsynced file, so a crash at any point leaves either
   * the old journal or the new one in place, and never loses a record.
   */
  rotate(live: readonly R[], archive: string): void {
    const next = `${this.file}.next`;
    const fd = openSync(next, 'w');
    writeSync(fd, live.map((r) => `${JSON.stringify(r)}\n`).join(''));
    fsyncSync(fd);
    closeSync(fd);
    if (this.#fd !== undefined) closeSync(this.#fd);
    mkdirSync(dirname(archive), { recursive: true });
    renameSync(this.file, archive);
    renameSync(next, this.file);
    this.#fd = openSync(this.file, 'a');
    this.#appended = 0;
    this.#replayed = live.length;
    this.#baseline = live.length;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
