/** FNV-1a: a stable 32-bit hash of a string, for seeding per device and quantity. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32 step: a uniform number in [0, 1) from a 32-bit state. */
function uniform(state: number): number {
  let t = (state + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** A seeded sequence in [0, 1) (mulberry32), the same on every machine: Math.random cannot be seeded. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    const value = uniform(state);
    state = (state + 0x6d2b79f5) >>> 0;
    return value;
  };
}

/**
 * Deterministic noise in [-1, 1] for (seed, key, time bucket): the same seed replays the same
 * room, whatever the order or timing of the requests that observe it.
 */
export function noise(seed: number, key: string, timeMs: number, bucketMs = 10_000): number {
  const bucket = Math.floor(timeMs / bucketMs);
  const a = uniform((hash(key) ^ seed ^ Math.imul(bucket, 0x9e3779b1)) >>> 0);
  const b = uniform((hash(key) ^ seed ^ Math.imul(bucket + 1, 0x9e3779b1)) >>> 0);
  // Interpolate between buckets so values drift smoothly instead of jumping.
  const f = (timeMs / bucketMs) - bucket;
  return (a + (b - a) * f) * 2 - 1;
}
