/**
 * The one seeded pseudo-random generator of the project (mulberry32: 32 bits of state, tiny, good
 * enough for sampling, synthetic data and random projections). Everything that must be
 * reproducible draws from it; nothing uses Math.random.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
