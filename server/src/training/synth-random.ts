/**
 * The generator's only source of randomness: a small seeded PRNG (mulberry32) and helpers on it.
 * Nothing in the synthetic instance may depend on Math.random, the clock or Map order, so the
 * same options always give byte-identical files. Sub-streams are derived from (seed, label,
 * index) so that rendering one record never shifts the randomness of another.
 */
import { fnv1a, mix32 } from '../hash';
import { mulberry32 } from '../random';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** One of the choices, each with a non-negative weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T;
  /** Up to n distinct items, in random order. */
  sample<T>(items: readonly T[], n: number): T[];
  /** Lowercase hexadecimal string of the given length. */
  hex(length: number): string;
}


export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (choices) => {
      let total = 0;
      for (const [, w] of choices) total += w;
      let r = next() * total;
      for (const [value, w] of choices) {
        r -= w;
        if (r < 0) return value;
      }
      return choices[choices.length - 1][0];
    },
    sample: (items, n) => {
      const copy = items.slice();
      const count = Math.min(n, copy.length);
      for (let i = 0; i < count; i++) {
        const j = i + Math.floor(next() * (copy.length - i));
        const tmp = copy[i];
        copy[i] = copy[j];
        copy[j] = tmp;
      }
      return copy.slice(0, count);
    },
    hex: (length) => {
      let out = '';
      while (out.length < length) out += ((next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
      return out.slice(0, length);
    },
  };
}

/**
 * A 32-bit seed for one sub-stream. Any number is accepted as the user's seed (negative,
 * fractional, beyond 2^32): it is hashed as text, so 1 and 1.5 give different instances.
 */
export function deriveSeed(seed: number, label: string, index = 0): number {
  const text = `${seed}|${label}|${index}`;
  // FNV-1a, then a murmur3 finaliser so that neighbouring indexes land far apart.
  return mix32(fnv1a(text));
}

export function rngFor(seed: number, label: string, index = 0): Rng {
  return createRng(deriveSeed(seed, label, index));
}
