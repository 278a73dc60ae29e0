/**
 * What changed between two looks at the active alerts (or incidents): the pure core of
 * GET /api/stream. Each item is remembered by a fingerprint of what a client would be sent; an item
 * whose fingerprint moved is sent again, and one that left the active list is sent as it is now
 * (resolved), so the console can move it out. Comparing what a client sees, rather than listening
 * to each of the engine's many change paths (transitions, acks, ticks, unmutes, settles), means no
 * change can be missed and nothing unchanged is sent.
 */
export class ChangeTracker<T extends { id: string }> {
  #seen = new Map<string, string>();

  /** Starts from this list (the snapshot a new client was just sent). */
  reset(active: readonly T[]): void {
    this.#seen = new Map(active.map((item) => [item.id, JSON.stringify(item)]));
  }

  /**
   * The items to send: active ones that are new or changed, then those no longer active, looked up
   * with `find` (undefined when the daemon forgot them: nothing to send then).
   */
  changes(active: readonly T[], find: (id: string) => T | undefined): T[] {
    const next = new Map<string, string>();
    const out: T[] = [];
    for (const item of active) {
      const print = JSON.stringify(item);
      next.set(item.id, print);
      if (this.#seen.get(item.id) !== print) out.push(item);
    }
    for (const id of this.#seen.keys()) {
      if (next.has(id)) continue;
      const gone = find(id);
      if (gone) out.push(gone);
    }
    this.#seen = next;
    return out;
  }
}
