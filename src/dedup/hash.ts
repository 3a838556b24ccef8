/**
 * 32-bit integer hashing for shingles and signatures. murmur3's finaliser mixes well
 * and costs five operations; a per-slot seed turns it into a family of hash functions.
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines a running hash with the next value (order-sensitive). */
export function combine(h: number, v: number): number {
  return fmix32(Math.imul(h ^ v, 0x9e3779b1) + 0x7f4a7c15);
}

/** A seeded 32-bit PRNG (mulberry32): reproducible randomness for tests and benchmarks. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
