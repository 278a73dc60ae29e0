import { createHash } from 'node:crypto';
import type { Silence } from './core/mute.js';
import type { JournalRecord } from './state/records.js';

export interface SilenceDeps {
  /** Silences from the config file: in force as long as the config says, never journaled. */
  fromConfig: readonly Silence[];
  journal: { append(...records: JournalRecord[]): void };
  /** Steady time, only to tell two identical silences set apart in time apart. */
  now: () => number;
  /** Silences are dates people set: they start and end by the wall clock. */
  wall: () => number;
}

/** Silences from config and from people (API), the latter journaled as they are set and expired. */
export class Silences {
  readonly #set = new Map<string, Silence>();

  constructor(private readonly deps: SilenceDeps) {}

  /** Takes over the silences the journal replayed (not journaled again). */
  restore(silences: Iterable<Silence>): void {
    for (const silence of silences) this.#set.set(silence.id, silence);
  }

  /** Silences in force or to come, config ones first, newest last; those over are not listed. */
  list(): Silence[] {
    const now = this.deps.wall();
    return [...this.deps.fromConfig, ...this.#set.values()].filter((s) => s.endsAt > now);
  }

  /** The silences people set, over or not (a rotated journal keeps those still in force). */
  setByPeople(): IterableIterator<Silence> {
    return this.#set.values();
  }

  add(input: Omit<Silence, 'id'>): Silence {
    const silence: Silence = { ...input, id: createHash('sha256').update(`${JSON.stringify(input)}|${this.deps.now()}`).digest('hex').slice(0, 10) };
    this.deps.journal.append({ t: 'silence', silence });
    this.#set.set(silence.id, silence);
    return silence;
  }

  expire(id: string): boolean {
    if (!this.#set.has(id)) return false;
    this.deps.journal.append({ t: 'expire', id });
    this.#set.delete(id);
    return true;
  }
}
